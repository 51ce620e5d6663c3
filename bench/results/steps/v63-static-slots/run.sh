#!/usr/bin/env bash
# v63: the K loops walk their pipeline slots as constants (one round of kStages slices per
# loop iteration, static_slots.patch), so that ptxas stops recomputing each slice's stage,
# barrier and descriptor addresses: bench/sass_mix.py counts 15-18% fewer loop instructions
# per weight word in the 64- and 128-row sm90 producer-warp tiles, 9-10% in the 16- and
# 32-row ones, 1-5% in the sm80 decode tiles.
# The libraries are built on the CPU machine (bench/build_subset.sh, sm_90): the tiles the
# heuristic picks on the H200 (sm80 decode, sm90), f16 3- and 4-bit group 128, with the
# headers as they were (old*, from HEAD) and as patched (new*).
# carry: [".carry/v63", ".whl"] (each libmixgemm.so as .xz)
set -uo pipefail
cd "$(dirname "$0")/../../../.."
export PYTHONPATH="$PWD:$PWD/python" PYTHONUNBUFFERED=1
python3 -m pip install -q --no-deps .whl/nvidia_cutlass-4.2.0.0-py3-none-any.whl > /dev/null 2>&1
L=.carry/v63 W=/tmp/v63; mkdir -p $W
for d in $L/*/; do xz -dkf $d/libmixgemm.so.xz; done  # carried compressed (the 64 MiB limit)
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader | tee $OUT/gpu.txt
use() { export MIXGEMM_LIBRARY=$L/$1/libmixgemm.so MIXGEMM_MANIFEST=$L/$1/manifest.json; }
SECONDS=0
TESTS="kernel_matches_reference or exact_small or identity or padded or stream_k"
for lib in new90 new80; do
  use $lib
  timeout 120 python3 -m pytest -q -m gpu tests -k "$TESTS" > $OUT/gpu_tests_$lib.log 2>&1
  echo "gpu tests $lib rc=$? $(tail -1 $OUT/gpu_tests_$lib.log) (${SECONDS}s)"
done
use new90
MIXGEMM_PDL=1 timeout 100 python3 -m pytest -q -m gpu tests -k "$TESTS" \
  > $OUT/gpu_tests_new90_pdl.log 2>&1
echo "gpu tests new90 PDL rc=$? $(tail -1 $OUT/gpu_tests_new90_pdl.log) (${SECONDS}s)"
for lib in new90 new80; do
  use $lib
  timeout 100 compute-sanitizer --tool memcheck --error-exitcode 9 python3 tests/gpu_sanitize_sample.py \
    > $OUT/sanitizer_$lib.log 2>&1
  echo "sanitizer $lib rc=$? $(grep -c '^' $OUT/sanitizer_$lib.log) lines (${SECONDS}s)"
done
bench() {  # bench LIB M BITS
  use $1
  timeout 150 python3 -m mixgemm.bench --bits $3 --dtype f16 --group-size 128 --all-kernels \
    --m $2 --anchors none --out $W/$1 > $W/$1.log 2>&1
  echo "bench $1 rc=$? (${SECONDS}s)"; xz -T0 -c $W/$1/bench.csv > $OUT/bench_$1.csv.xz
}
bench old90 16,32,64,128,256 4
bench new90 16,32,64,128,256 4
python3 bench/compare.py $W/old90/bench.csv $W/new90/bench.csv --m 16,32,64,128,256 | tee $OUT/compare_sm90.txt
bench old80 1,4,16 4
bench new80 1,4,16 4
python3 bench/compare.py $W/old80/bench.csv $W/new80/bench.csv --m 1,4,16 | tee $OUT/compare_sm80.txt
