#!/usr/bin/env bash
# v97: bf16 decode tiles with biased codes (the unpacker's per-pair bias subtraction replaced
# by one activation-sum MMA per k16 step, sm80_gemm.cuh). Two device calls on one warm machine:
#   bash run.sh check   build the timing library (the 27 sm80 tiles of <= 16-row warp tiles,
#                       3/4-bit g128, bf16 and fp16 as the same-run control) and a correctness
#                       library (4 tiles x bf16 2-7 bits x groups 32/128/per-channel), their
#                       registers, the GPU tests on every bf16 kernel, compute-sanitizer
#   bash run.sh time    every kernel of the timing library, f16 and bf16, M = 1..32
#   bash run.sh imad    the timing library again with right shifts as IMAD.HI: checked, timed
# Libraries stay in build/v97-* for the second call (rebuilt if the machine went cold).
# carry: [".whl"]
set -uo pipefail
source "$(dirname "$0")/../../../device_env.sh"  # repository root, PYTHONPATH, the carried wheel
S=bench/results/steps/v97-bf16-biased-codes
T=build/v97-timing C=build/v97-correctness
SECONDS=0
build_timing() {
  [ -f $T/libmixgemm.so ] || bash bench/build_subset.sh $T "$(cat $S/tiles.txt)" "3 4" "f16 bf16" "128"
}
build_correctness() {
  [ -f $C/libmixgemm.so ] || bash bench/build_subset.sh $C \
    "sm80_m8n32k128_s4_p4_splitk sm80_m8n128k256_s3_streamk sm80_m16n128k128_s4_streamk sm80_m16n128k256_s2_p2_splitk" \
    "2 3 4 5 6 7" "bf16" "32 128 ch"
}
gpu_tests() {  # LIB NAME
  MIXGEMM_LIBRARY=$1/libmixgemm.so MIXGEMM_MANIFEST=$1/manifest.json timeout 200 \
    python3 -m pytest -m gpu tests/test_gpu.py -q -rf -k "bf16 and not programmatic" > "$OUT/tests_$2.log" 2>&1
  echo "tests $2 rc=$? $(tail -1 "$OUT/tests_$2.log") (${SECONDS}s)"
  MIXGEMM_LIBRARY=$1/libmixgemm.so MIXGEMM_MANIFEST=$1/manifest.json timeout 100 \
    compute-sanitizer --tool memcheck --error-exitcode 9 python3 tests/gpu_sanitize_sample.py \
    > "$OUT/sanitizer_$2.log" 2>&1
  echo "compute-sanitizer $2 rc=$? $(tail -1 "$OUT/sanitizer_$2.log") (${SECONDS}s)"
}
case "$1" in
  check)
    build_timing && build_correctness || exit 1
    echo "built (${SECONDS}s)"
    for L in $T $C; do
      cuobjdump -res-usage $L/libmixgemm.so 2>&1 | grep -o "REG:[0-9]*" | sort | uniq -c | tr '\n' ' '; echo
    done | tee "$OUT/registers.txt"
    gpu_tests $C correctness
    gpu_tests $T timing
    ;;
  time)
    build_timing || exit 1
    export MIXGEMM_LIBRARY=$T/libmixgemm.so MIXGEMM_MANIFEST=$T/manifest.json
    for d in f16 bf16; do
      timeout 200 python3 -m mixgemm.bench --bits 4,3 --dtype $d --group-size 128 --all-kernels \
        --m 1,4,8,16,32 --anchors none --out /tmp/v97_$d > "$OUT/bench_$d.log" 2>&1
      echo "bench $d rc=$? (${SECONDS}s)"
      xz -T0 -c /tmp/v97_$d/bench.csv > "$OUT/bench_$d.csv.xz"
    done
    for d in f16 bf16; do
      xz -dc bench/results/steps/v93-all-kernels/bench_$d.csv.xz > /tmp/base_$d.csv
      echo "$d against v93:"; python3 bench/compare.py --m 1,4,8,16,32 /tmp/base_$d.csv /tmp/v97_$d/bench.csv | grep -E "^sm80|cuBLAS"
    done
    ;;
  imad)  # run 2: the same with the unpacker's right shifts as IMAD.HI (FMA pipe), both dtypes
    U=templates/include/mixgemm/unpack.cuh
    sed -i 's/if constexpr (kShift > 0) return x >> kShift;/if constexpr (kShift > 0) return __umulhi(x, 1u << (32 - kShift));/' $U
    grep -q __umulhi $U || exit 1
    T=build/v97-imad; build_timing; rc=$?
    sed -i 's/if constexpr (kShift > 0) return __umulhi(x, 1u << (32 - kShift));/if constexpr (kShift > 0) return x >> kShift;/' $U
    [ $rc = 0 ] || exit 1
    echo "built (${SECONDS}s)"
    MIXGEMM_LIBRARY=$T/libmixgemm.so MIXGEMM_MANIFEST=$T/manifest.json timeout 200 \
      python3 -m pytest -m gpu tests/test_gpu.py -q -rf -k "test_kernel_matches_reference" > "$OUT/tests_imad.log" 2>&1
    echo "tests imad rc=$? $(tail -1 "$OUT/tests_imad.log") (${SECONDS}s)"
    export MIXGEMM_LIBRARY=$T/libmixgemm.so MIXGEMM_MANIFEST=$T/manifest.json
    for d in f16 bf16; do
      timeout 200 python3 -m mixgemm.bench --bits 4,3 --dtype $d --group-size 128 --all-kernels \
        --m 1,4,8,16,32 --anchors none --out /tmp/v97b_$d > "$OUT/bench_imad_$d.log" 2>&1
      echo "bench $d rc=$? (${SECONDS}s)"
      xz -T0 -c /tmp/v97b_$d/bench.csv > "$OUT/bench_imad_$d.csv.xz"
      xz -dc bench/results/steps/v93-all-kernels/bench_$d.csv.xz > /tmp/base_$d.csv
      echo "$d against v93:"; python3 bench/compare.py --m 1,4,8,16,32 /tmp/base_$d.csv /tmp/v97b_$d/bench.csv | grep -E "^sm80|cuBLAS"
    done
    ;;
  *) echo "usage: run.sh check|time|imad"; exit 2 ;;
esac
