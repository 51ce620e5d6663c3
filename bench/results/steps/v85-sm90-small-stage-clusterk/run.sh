#!/usr/bin/env bash
# v85: cluster split-K tiles with smaller stages (2-3 blocks per SM: more clusters at once)
# against every sm90 tile of the session-18 table and its 16-row sm80 picks, M = 16..256: f16
# and bf16, 3 and 4 bits, group 128, one library built here, one run. carry: [".whl"]
set -uo pipefail
cd "$(dirname "$0")/../../../.."
export PYTHONPATH="$PWD:$PWD/python" PYTHONUNBUFFERED=1
python3 -m pip install -q --no-deps .whl/nvidia_cutlass-*.whl > /dev/null 2>&1
S=bench/results/steps/v85-sm90-small-stage-clusterk
W=/tmp/v85; mkdir -p $W; SECONDS=0
bash bench/build_subset.sh $W/lib "$(cat $S/tiles_old.txt) $(cat $S/tiles_new.txt)" "3 4" "f16 bf16" "128" || exit 1
echo "built (${SECONDS}s)"
export MIXGEMM_LIBRARY=$W/lib/libmixgemm.so MIXGEMM_MANIFEST=$W/lib/manifest.json
timeout 90 python3 -m pytest -m gpu tests/test_gpu.py -q -x -k "kernel_matches_reference" > $W/tests.log 2>&1
echo "tests rc=$? $(tail -1 $W/tests.log) (${SECONDS}s)"
for d in f16 bf16; do
  timeout 170 python3 -m mixgemm.bench --bits 4,3 --dtype $d --m 16,32,64,128,256 --all-kernels --anchors none --out $W/bench_$d > $W/bench_$d.log 2>&1
  echo "bench $d rc=$? (${SECONDS}s)"
  xz -T0 -c $W/bench_$d/bench.csv > $OUT/bench_$d.csv.xz
done
cp $W/*.log $OUT/
python3 $S/best_new.py $W/bench_f16/bench.csv $W/bench_bf16/bench.csv
