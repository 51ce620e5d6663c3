#!/usr/bin/env bash
# v75: cluster split-K (ClusterSplitKScheduler) for the sm90 tiles. Libraries built here by
# bench/build_subset.sh and carried as .carry/v75/{cktest,ckbench}/ (libmixgemm.so.xz):
# cktest = the clusterk tiles in f16/bf16, 3/4 bits, groups 32/128/ch (GPU tests and the
# compute-sanitizer sample); ckbench = the clusterk tiles and the current picks at M >= 16
# (f16, group 128), timed together in one run.
set -uo pipefail
cd "$(dirname "$0")/../../../.."
export PYTHONPATH="$PWD:$PWD/python" PYTHONUNBUFFERED=1
W=/tmp/v75; mkdir -p $W; SECONDS=0
for d in cktest ckbench; do xz -dkf .carry/v75/$d/libmixgemm.so.xz; done
use() { export MIXGEMM_LIBRARY=$PWD/.carry/v75/$1/libmixgemm.so MIXGEMM_MANIFEST=$PWD/.carry/v75/$1/manifest.json; }
use cktest
timeout 200 python3 -m pytest -m gpu tests/test_gpu.py -q -x -rf \
  -k "kernel_matches_reference or exact_small or identity or padded or split_kernels" > $W/tests_cktest.log 2>&1
echo "tests cktest rc=$? (${SECONDS}s)"; tail -3 $W/tests_cktest.log
timeout 120 compute-sanitizer --tool memcheck --error-exitcode 9 python3 tests/gpu_sanitize_sample.py > $W/sanitizer.log 2>&1
echo "sanitizer rc=$? (${SECONDS}s)"; grep -E "ERROR SUMMARY|sanitize sample" $W/sanitizer.log | cut -c1-200
use ckbench
timeout 60 python3 -m pytest -m gpu tests/test_gpu.py -q -x -rf -k "split_kernels" > $W/tests_ckbench.log 2>&1
echo "tests ckbench rc=$? (${SECONDS}s)"; tail -2 $W/tests_ckbench.log
timeout 200 python3 -m mixgemm.bench --bits 4,3 --dtype f16 --m 16,32,64,128,256 --all-kernels \
  --anchors none --out $W/bench > $W/bench.log 2>&1
echo "bench rc=$? (${SECONDS}s)"
xz -T0 -c $W/bench/bench.csv > $OUT/bench_f16.csv.xz
cp $W/*.log $OUT/
python3 bench/results/steps/v75-cluster-split-k/best_by_scheduler.py $W/bench/bench.csv 2>&1 | tail -90
