#!/usr/bin/env bash
# v76: v75's bench library in bf16 (the clusterk tiles and the current picks at M >= 16,
# group 128), every kernel timed, for codegen.tune (which scores a kernel only in the cells of
# every dtype it was timed in). Library built here by bench/build_subset.sh, carried as
# .carry/v76/ckbf16/.
set -uo pipefail
cd "$(dirname "$0")/../../../.."
export PYTHONPATH="$PWD:$PWD/python" PYTHONUNBUFFERED=1
W=/tmp/v76; mkdir -p $W; SECONDS=0
xz -dkf .carry/v76/ckbf16/libmixgemm.so.xz
export MIXGEMM_LIBRARY=$PWD/.carry/v76/ckbf16/libmixgemm.so MIXGEMM_MANIFEST=$PWD/.carry/v76/ckbf16/manifest.json
timeout 60 python3 -m pytest -m gpu tests/test_gpu.py -q -x -rf -k "split_kernels" > $W/tests.log 2>&1
echo "tests rc=$? (${SECONDS}s)"; tail -1 $W/tests.log
timeout 200 python3 -m mixgemm.bench --bits 4,3 --dtype bf16 --m 16,32,64,128,256 --all-kernels \
  --anchors none --out $W/bench > $W/bench.log 2>&1
echo "bench rc=$? (${SECONDS}s)"
xz -T0 -c $W/bench/bench.csv > $OUT/bench_bf16.csv.xz
cp $W/*.log $OUT/
python3 bench/results/steps/v75-cluster-split-k/best_by_scheduler.py $W/bench/bench.csv 2>&1 | tail -11
