#!/usr/bin/env bash
# v69: do the decode tiles gain from more warps per SM? (v67: the 3-bit 8x64x256 tile issues
# at 0.59 per scheduler with 2 warps each, its stalls mostly fixed-latency waits.) Tiles of
# the same slice with fewer stages or pipes, so that two blocks fit an SM, against the
# heuristic's 8x64x256x3 p4; f16 3- and 4-bit group 128, M = 1, 4, 8, every kernel timed.
# Library built here (.carry/v69, xz). carry [".whl", ".carry/v69"].
set -uo pipefail
cd "$(dirname "$0")/../../../.."
export PYTHONPATH="$PWD:$PWD/python" PYTHONUNBUFFERED=1
python3 -m pip install -q --no-deps .whl/nvidia_cutlass-4.2.0.0-py3-none-any.whl > /dev/null 2>&1
W=/tmp/v69; mkdir -p $W; SECONDS=0
xz -dkf .carry/v69/libmixgemm.so.xz
export MIXGEMM_LIBRARY=$PWD/.carry/v69/libmixgemm.so MIXGEMM_MANIFEST=$PWD/.carry/v69/manifest.json
timeout 100 python3 -m pytest -q -m gpu tests -k "kernel_matches_reference or padded" > $W/gpu_tests.log 2>&1
echo "gpu tests rc=$? $(tail -1 $W/gpu_tests.log) (${SECONDS}s)"
timeout 150 python3 -m mixgemm.bench --bits 3,4 --dtype f16 --group-size 128 --all-kernels \
  --m 1,4,8 --anchors none --out $W/bench > $W/bench.log 2>&1
echo "bench rc=$? (${SECONDS}s)"
xz -T0 -c $W/bench/bench.csv > $OUT/bench.csv.xz
python3 bench/cell_table.py $W/bench/bench.csv > $OUT/cells.txt; head -60 $OUT/cells.txt
