#!/usr/bin/env bash
# Candidate tiles against the current ones, on a GPU machine, for a benchmark step:
#   bash bench/time_candidates.sh STEP_DIR M_LIST [BENCH_TIMEOUT_S]
# STEP_DIR (under bench/results/steps/) holds tiles_new.txt and tiles_old.txt (tile names as
# bench/build_subset.sh takes them). Builds one library of both sets (f16 and bf16, 3 and 4
# bits, group 128), runs their GPU correctness tests, times every kernel at M_LIST (e.g.
# 1,4,8,16) with each activation dtype, writes bench_{f16,bf16}.csv.xz and the logs to $OUT,
# and prints, per cell, the best new tile against the best old one (bench/best_new_tiles.py).
# The .whl/ folder with the nvidia-cutlass wheel must be carried.
set -uo pipefail
source "$(dirname "$0")/device_env.sh"  # repository root, PYTHONPATH, the carried wheel
step=${1%/} m_list=$2 limit=${3:-170}
W=$(mktemp -d); SECONDS=0
use_subset_library $W/lib "$(cat $step/tiles_old.txt) $(cat $step/tiles_new.txt)" \
  "3 4" "f16 bf16" "128" || exit 1
echo "built (${SECONDS}s)"
timeout 90 python3 -m pytest -m gpu tests/test_gpu.py -q -x -k "kernel_matches_reference" \
  > $W/tests.log 2>&1
echo "tests rc=$? $(tail -1 $W/tests.log) (${SECONDS}s)"
for d in f16 bf16; do
  timeout "$limit" python3 -m mixgemm.bench --bits 4,3 --dtype $d --m "$m_list" --all-kernels \
    --anchors none --out $W/bench_$d > $W/bench_$d.log 2>&1
  echo "bench $d rc=$? (${SECONDS}s)"
  xz -T0 -c $W/bench_$d/bench.csv > "$OUT/bench_$d.csv.xz"
done
cp $W/*.log "$OUT/"
python3 bench/best_new_tiles.py $step/tiles_new.txt $W/bench_f16/bench.csv $W/bench_bf16/bench.csv
