#!/usr/bin/env bash
# The README's benchmark command on a library of just the kernels the table names, on a GPU
# machine (the full library takes longer to build than the benchmark takes to run):
#   bash bench/table_bench.sh [TILES_FILE]
# TILES_FILE: tile names as bench/build_subset.sh takes them (default: every tile the
# committed table names, bench/table_tiles.py). Builds them (f16 and bf16, 3 and 4 bits, group
# 128), runs the dispatch tests, then `mixgemm.bench --bits 4,3 --dtype f16,bf16` and the same
# for f16 with MIXGEMM_PDL=1; $OUT gets the logs and results.tgz (nvidia-h200/ and
# nvidia-h200-pdl/ style folders, named by the GPU). The .whl/ folder with the nvidia-cutlass
# wheel must be carried. LIBRARY_DIR=DIR times the library already built there instead (e.g.
# build/ after a full build on the same machine; the tests then read generated/manifest.json
# unless DIR has one).
set -uo pipefail
source "$(dirname "$0")/device_env.sh"  # repository root, PYTHONPATH, the carried wheel
tiles=$([ -n "${1:-}" ] && cat "$1" || python3 bench/table_tiles.py)
gpu=$(nvidia-smi --query-gpu=name --format=csv,noheader | head -1 | tr 'A-Z ' 'a-z-')
W=$(mktemp -d); SECONDS=0
lib=${LIBRARY_DIR:-}
if [ -z "$lib" ]; then
  lib=$W/lib
  bash bench/build_subset.sh $lib "$tiles" "3 4" "f16 bf16" "128" || exit 1
  echo "built (${SECONDS}s)"
fi
[ -f "$lib/libmixgemm.so" ] || { echo "no $lib/libmixgemm.so"; exit 1; }
export MIXGEMM_LIBRARY=$(realpath "$lib/libmixgemm.so")
[ -f "$lib/manifest.json" ] && export MIXGEMM_MANIFEST=$(realpath "$lib/manifest.json")
timeout 60 python3 -m pytest -m gpu tests/test_gpu.py -q -rf \
  -k "heuristic_default or split_kernels or graph" > $W/tests.log 2>&1
echo "tests rc=$? (${SECONDS}s)"; tail -1 $W/tests.log
timeout 170 python3 -m mixgemm.bench --bits 4,3 --dtype f16,bf16 --out $W/$gpu > $W/bench.log 2>&1
echo "bench rc=$? (${SECONDS}s)"; grep -E "^\| (f16|bf16) int4" $W/$gpu/summary.md
MIXGEMM_PDL=1 timeout 110 python3 -m mixgemm.bench --bits 4,3 --dtype f16 --out $W/$gpu-pdl \
  > $W/bench_pdl.log 2>&1
echo "bench pdl rc=$? (${SECONDS}s)"; grep -E "^\| f16 int4" $W/$gpu-pdl/summary.md
cp $W/*.log "$OUT/"; tar czf "$OUT/results.tgz" -C $W $gpu $gpu-pdl
