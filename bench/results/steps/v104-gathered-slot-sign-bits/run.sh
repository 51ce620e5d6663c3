#!/usr/bin/env bash
# v104 (prepared in session 22, not run): the 3- and 5-bit gathered slot from sign bits
# (change.diff, unpack.cuh: kBits LOP3 + kBits HFMA2 instead of about 2 kBits ALU instructions).
# Packed format unchanged. One device call:
#   1. correctness library: 3- and 5-bit, f16 and bf16, groups 32/128/per-channel, two sm80
#      decode tiles, an sm80 Stream-K tile and two sm90 tiles: GPU tests and compute-sanitizer;
#   2. timing: the 27 sm80 decode tiles of v97, 3-bit g128, f16 and bf16, with and without the
#      change, in one run at M = 1, 4, 16.
# carry: [".whl"]
set -uo pipefail
cd "$(dirname "$0")/../../../.."
export PYTHONPATH="$PWD:$PWD/python" PYTHONUNBUFFERED=1
python3 -m pip install -q --no-deps .whl/nvidia_cutlass-*.whl > /dev/null 2>&1
S=bench/results/steps/v104-gathered-slot-sign-bits
TILES="$(cat bench/results/steps/v97-bf16-biased-codes/tiles.txt)"
SECONDS=0
bash bench/build_subset.sh build/v104-0 "$TILES" "3" "f16 bf16" "128" || exit 1
{ patch -p1 < $S/change.diff || git apply $S/change.diff; } > /dev/null || exit 1
bash bench/build_subset.sh build/v104-1 "$TILES" "3" "f16 bf16" "128" || exit 1
bash bench/build_subset.sh build/v104-check "sm80_m8n32k128_s3_p8_splitk sm80_m16n128k256_s2_p2_splitk \
  sm80_m32n128k128_s4_streamk sm90_m32n128k256_s3_bulk_tma_pw_clusterk sm90_m64n128k128_s4_bulk_tma_pw_streamk" \
  "3 5" "f16 bf16" "32 128 ch" || exit 1
echo "built (${SECONDS}s)"
for L in v104-check v104-1; do
  MIXGEMM_LIBRARY=build/$L/libmixgemm.so MIXGEMM_MANIFEST=build/$L/manifest.json timeout 150 \
    python3 -m pytest -m gpu tests/test_gpu.py -q -rf -k "not programmatic" > "$OUT/tests_$L.log" 2>&1
  echo "tests $L rc=$? $(tail -1 "$OUT/tests_$L.log") (${SECONDS}s)"
  MIXGEMM_LIBRARY=build/$L/libmixgemm.so MIXGEMM_MANIFEST=build/$L/manifest.json timeout 100 \
    compute-sanitizer --tool memcheck --error-exitcode 9 python3 tests/gpu_sanitize_sample.py \
    > "$OUT/sanitizer_$L.log" 2>&1
  echo "compute-sanitizer $L rc=$? $(tail -1 "$OUT/sanitizer_$L.log") (${SECONDS}s)"
done
for v in 0 1; do
  for d in f16 bf16; do
    MIXGEMM_LIBRARY=build/v104-$v/libmixgemm.so MIXGEMM_MANIFEST=build/v104-$v/manifest.json \
      timeout 100 python3 -m mixgemm.bench --bits 3 --dtype $d --group-size 128 --all-kernels \
      --m 1,4,16 --anchors none --out /tmp/v104_${v}_$d > "$OUT/bench_${v}_$d.log" 2>&1
    echo "bench $v $d rc=$? (${SECONDS}s)"
    xz -c /tmp/v104_${v}_$d/bench.csv > "$OUT/bench_${v}_$d.csv.xz"
  done
done
for d in f16 bf16; do
  echo "== $d: sign-bit slot / as committed"
  python3 bench/compare.py /tmp/v104_0_$d/bench.csv /tmp/v104_1_$d/bench.csv | grep -E "cuBLAS|best|^ "
done
