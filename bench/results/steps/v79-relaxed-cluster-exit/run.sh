#!/usr/bin/env bash
# v79: a relaxed arrive at cluster split-K's last barrier (schedulers.cuh, cluster::sync_relaxed)
# against the release/acquire one: the seven clusterk tiles of the table, f16 4-bit group 128,
# old library built on the CPU machine (.carry/v79old), new one here; both timed in one run.
# carry: [".whl", ".carry/v79old"]
set -uo pipefail
source "$(dirname "$0")/../../../device_env.sh"  # repository root, PYTHONPATH, the carried wheel
W=/tmp/v79; mkdir -p $W; SECONDS=0
xz -dkf .carry/v79old/libmixgemm.so.xz
bash bench/build_subset.sh $W/new "$(cat bench/results/steps/v79-relaxed-cluster-exit/tiles.txt)" "4" "f16" "128" || exit 1
for v in old new; do
  d=$W/$v; [ $v = old ] && d=$PWD/.carry/v79old
  export MIXGEMM_LIBRARY=$d/libmixgemm.so MIXGEMM_MANIFEST=$d/manifest.json
  [ $v = new ] && { timeout 60 python3 -m pytest -m gpu tests/test_gpu.py -q -x -k "kernel_matches_reference" > $W/tests.log 2>&1; echo "tests rc=$? $(tail -1 $W/tests.log)"; }
  timeout 120 python3 -m mixgemm.bench --bits 4 --dtype f16 --m 32,64,128,256 --all-kernels --anchors none --out $W/bench_$v > $W/bench_$v.log 2>&1
  echo "bench $v rc=$? (${SECONDS}s)"
done
cp $W/bench_old/bench.csv $OUT/old.csv; cp $W/bench_new/bench.csv $OUT/new.csv
python3 bench/compare.py $W/bench_old/bench.csv $W/bench_new/bench.csv 2>&1 | tail -25
