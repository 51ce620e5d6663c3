#!/usr/bin/env bash
# v109 (session 23): narrow decode tiles (1, 2 and 4 activation rows per stage), first GPU run.
# The libraries are built on this machine and carried (the device time left in session 23
# was about 4 minutes): build/narrow (8 tiles, 3/4-bit, f16/bf16, group 128: the narrow
# candidates and the current decode picks) and build/narrow_check (the narrow tiles at
# groups 32 and per-channel). GPU tests on both, compute-sanitizer on the check library, and
# every kernel of build/narrow timed at M = 1 and 4, fp16. Both travel packed (the working tree
# with them unpacked is over the device tool's 64 MiB): here,
#   tar cJf build/narrow_libs.tar.xz -C build narrow narrow_check
# carry: [".whl", "build/narrow_libs.tar.xz"]
set -uo pipefail
source "$(dirname "$0")/../../../device_env.sh"  # repository root, PYTHONPATH, the carried wheel
tar xJf build/narrow_libs.tar.xz -C build || exit 1
W=$OUT; SECONDS=0  # five files come back: the logs and the CSV
for lib in narrow narrow_check; do
  MIXGEMM_LIBRARY=$PWD/build/$lib/libmixgemm.so MIXGEMM_MANIFEST=$PWD/build/$lib/manifest.json \
    timeout 50 python3 -m pytest -m gpu tests/test_gpu.py -q -rf -k "not programmatic" > $W/tests_$lib.log 2>&1
  echo "tests $lib rc=$? $(tail -1 $W/tests_$lib.log) (${SECONDS}s)"
done
MIXGEMM_LIBRARY=$PWD/build/narrow_check/libmixgemm.so MIXGEMM_MANIFEST=$PWD/build/narrow_check/manifest.json \
  timeout 30 compute-sanitizer --tool memcheck --error-exitcode 9 python3 tests/gpu_sanitize_sample.py > $W/sanitizer.log 2>&1
echo "compute-sanitizer rc=$? $(tail -1 $W/sanitizer.log) (${SECONDS}s)"
MIXGEMM_LIBRARY=$PWD/build/narrow/libmixgemm.so MIXGEMM_MANIFEST=$PWD/build/narrow/manifest.json \
  timeout 50 python3 -m mixgemm.bench --bits 4,3 --dtype f16 --group-size 128 --all-kernels --m 1,4 \
  --anchors none --out $W/bench_f16 > $W/bench_f16.log 2>&1
echo "bench rc=$? (${SECONDS}s)"
xz -T0 -c $W/bench_f16/bench.csv > "$OUT/bench_f16.csv.xz" && rm -r $W/bench_f16
