#!/usr/bin/env bash
# v94: the sm90 tiles that the register hint of sm90_gemm.cuh now asks ptxas to fit two
# blocks per SM (shared memory allows two, and two leave 96+ registers a thread): built for
# every width, activation and group of the default set, their registers, the GPU tests and
# compute-sanitizer on them, and every one timed (f16 and bf16, group 128), to compare with
# the same kernels in v93 (no hint). carry: [".whl"]
set -uo pipefail
cd "$(dirname "$0")/../../../.."
export PYTHONPATH="$PWD:$PWD/python" PYTHONUNBUFFERED=1
python3 -m pip install -q --no-deps .whl/nvidia_cutlass-*.whl > /dev/null 2>&1
S=bench/results/steps/v94-sm90-two-block-hint
W=$(mktemp -d); SECONDS=0
bash bench/build_subset.sh $W/lib "$(cat $S/tiles.txt)" "3 4" "f16 bf16" "32 64 128 ch" || exit 1
echo "built (${SECONDS}s)"
cuobjdump -res-usage $W/lib/libmixgemm.so 2>&1 | grep -o "REG:[0-9]*" | sort | uniq -c > "$OUT/registers.txt"
echo "registers per thread (count of kernels):" $(cat "$OUT/registers.txt")
export MIXGEMM_LIBRARY=$W/lib/libmixgemm.so MIXGEMM_MANIFEST=$W/lib/manifest.json
timeout 120 python3 -m pytest -m gpu tests/test_gpu.py -q -rf -k "not programmatic" > $W/tests.log 2>&1
echo "tests rc=$? $(tail -1 $W/tests.log) (${SECONDS}s)"
timeout 100 compute-sanitizer --tool memcheck --error-exitcode 9 python3 tests/gpu_sanitize_sample.py \
  > $W/sanitizer.log 2>&1
echo "compute-sanitizer rc=$? $(tail -1 $W/sanitizer.log) (${SECONDS}s)"
for d in f16 bf16; do
  timeout 120 python3 -m mixgemm.bench --bits 4,3 --dtype $d --group-size 128 --all-kernels --m 16,32,64,128,256 \
    --anchors none --out $W/bench_$d > $W/bench_$d.log 2>&1
  echo "bench $d rc=$? (${SECONDS}s)"
  xz -T0 -c $W/bench_$d/bench.csv > "$OUT/bench_$d.csv.xz"
  xz -dc bench/results/steps/v93-all-kernels/bench_$d.csv.xz > $W/v93_$d.csv
  python3 bench/compare.py $W/v93_$d.csv $W/bench_$d/bench.csv | grep -E "sm90|cuBLAS"
done
cp $W/*.log "$OUT/"
