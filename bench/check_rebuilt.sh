#!/usr/bin/env bash
# A library of rebuilt kernels checked and timed against an earlier --all-kernels run of the
# same kernels, on a GPU machine (steps that change how kernels compile, e.g. a ptxas hint):
#   bash bench/check_rebuilt.sh LIB_DIR BASELINE_STEP_DIR [M_LIST]
# LIB_DIR is bench/build_subset.sh's output; BASELINE_STEP_DIR holds bench_{f16,bf16}.csv.xz.
# Writes to $OUT the registers per thread (cuobjdump), the GPU tests' and compute-sanitizer's
# logs (bench/check_library.sh) and bench_{f16,bf16}.csv.xz (group 128, M_LIST, default
# 16,32,64,128,256), and prints bench/compare.py per sm90/sm80 tile with cuBLAS as the control.
set -uo pipefail
lib=$(realpath "$1") base=$(realpath "$2") m_list=${3:-16,32,64,128,256}
cd "$(dirname "$0")/.."
export PYTHONPATH="$PWD:$PWD/python" PYTHONUNBUFFERED=1
W=$(mktemp -d); SECONDS=0
cuobjdump -res-usage $lib/libmixgemm.so 2>&1 | grep -o "REG:[0-9]*" | sort | uniq -c > "$OUT/registers.txt"
echo "registers per thread (count of kernels):" $(cat "$OUT/registers.txt")
bash bench/check_library.sh $lib rebuilt
echo "checked (${SECONDS}s)"
export MIXGEMM_LIBRARY=$lib/libmixgemm.so MIXGEMM_MANIFEST=$lib/manifest.json
for d in f16 bf16; do
  timeout 120 python3 -m mixgemm.bench --bits 4,3 --dtype $d --group-size 128 --all-kernels \
    --m "$m_list" --anchors none --out $W/bench_$d > $W/bench_$d.log 2>&1
  echo "bench $d rc=$? (${SECONDS}s)"
  xz -T0 -c $W/bench_$d/bench.csv > "$OUT/bench_$d.csv.xz"
  xz -dc $base/bench_$d.csv.xz > $W/base_$d.csv
  python3 bench/compare.py $W/base_$d.csv $W/bench_$d/bench.csv | grep -E "^sm|cuBLAS"
done
cp $W/*.log "$OUT/"
