#!/usr/bin/env bash
# The GPU tests (every kernel against the reference, all but the PDL test) and the
# compute-sanitizer sample on a library of chosen kernels, on a GPU machine:
#   bash bench/check_library.sh LIB_DIR NAME
# LIB_DIR is bench/build_subset.sh's output. Writes $OUT/tests_NAME.log and
# $OUT/sanitizer_NAME.log and prints one line for each. Used by check_rebuilt.sh and
# time_change.sh.
set -uo pipefail
lib=$(realpath "$1") name=$2
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD:$PWD/python" PYTHONUNBUFFERED=1
export MIXGEMM_LIBRARY=$lib/libmixgemm.so MIXGEMM_MANIFEST=$lib/manifest.json
timeout 150 python3 -m pytest -m gpu tests/test_gpu.py -q -rf -k "not programmatic" \
  > "$OUT/tests_$name.log" 2>&1
echo "tests $name rc=$? $(tail -1 "$OUT/tests_$name.log")"
timeout 100 compute-sanitizer --tool memcheck --error-exitcode 9 python3 tests/gpu_sanitize_sample.py \
  > "$OUT/sanitizer_$name.log" 2>&1
echo "compute-sanitizer $name rc=$? $(tail -1 "$OUT/sanitizer_$name.log")"
