#!/usr/bin/env bash
# v96 (prepared, not run): the 416-, 512- and 544-thread sm90 tiles, which shared memory would
# let two blocks share an SM, built with change.diff (the two-block hint down to 48 registers a
# thread), their registers, the GPU tests and compute-sanitizer on them, and each timed (f16 and
# bf16, group 128) to compare with the same kernels in v93 (no hint). carry: [".whl"]
set -uo pipefail
cd "$(dirname "$0")/../../../.."
export PYTHONPATH="$PWD:$PWD/python" PYTHONUNBUFFERED=1
python3 -m pip install -q --no-deps .whl/nvidia_cutlass-*.whl > /dev/null 2>&1
S=bench/results/steps/v96-sm90-two-blocks-wide-tiles
W=$(mktemp -d); SECONDS=0
# change.diff's one line, by sed (the machine's copy of the tree has no .git)
T=templates/include/mixgemm/sm90_gemm.cuh
sed -i 's/kMinRegsPerThread = 96;/kMinRegsPerThread = 48;/' $T && grep -q "= 48;" $T || exit 1
bash bench/build_subset.sh $W/lib "$(cat $S/tiles.txt)" "3 4" "f16 bf16" "128"
rc=$?; sed -i 's/kMinRegsPerThread = 48;/kMinRegsPerThread = 96;/' $T; [ $rc = 0 ] || exit 1
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
