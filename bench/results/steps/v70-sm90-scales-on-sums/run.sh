#!/usr/bin/env bash
# v70: group scales on fp32 partial sums in the sm90 tiles of 16 and 32 rows
# (Sm90Gemm::kScaleInAccum) instead of an HMUL2 per weight pair: 7-14% fewer K-loop
# instructions (bench/sass_mix.py). Libraries built here: .carry/v70new (the 16- and 32-row
# bulk tiles, f16 and bf16, 3- and 4-bit, groups 32, 64, 128 and per-channel; 32x256x128 and
# group 32 keep the HMUL2) and .carry/v70old (the same tiles before, f16 group 128).
# GPU tests and compute-sanitizer on the new one, then every kernel of both timed at M = 16
# and 32, and bench/compare.py. carry [".whl", ".carry/v70new", ".carry/v70old"].
set -uo pipefail
cd "$(dirname "$0")/../../../.."
export PYTHONPATH="$PWD:$PWD/python" PYTHONUNBUFFERED=1
python3 -m pip install -q --no-deps .whl/nvidia_cutlass-4.2.0.0-py3-none-any.whl > /dev/null 2>&1
W=/tmp/v70; mkdir -p $W; SECONDS=0
for lib in old new; do xz -dkf .carry/v70$lib/libmixgemm.so.xz; done
use() { export MIXGEMM_LIBRARY=$PWD/.carry/v70$1/libmixgemm.so MIXGEMM_MANIFEST=$PWD/.carry/v70$1/manifest.json; }
use new
timeout 150 python3 -m pytest -q -m gpu tests -k "kernel_matches_reference or exact_small or identity or padded or stream_k" > $W/gpu_tests.log 2>&1
echo "gpu tests (new) rc=$? $(tail -1 $W/gpu_tests.log) (${SECONDS}s)"
grep -E "FAILED|Error" $W/gpu_tests.log | head -20
for k in sm90_f16_u4_g128_m32n256k256_s4_bulk_tma_pw_streamk sm90_bf16_u3_g64_m16n128k256_s4_bulk_tma_splitk; do
  timeout 60 compute-sanitizer --tool memcheck --error-exitcode 9 python3 bench/profile_one.py 8192 2048 24 $k \
    $( [[ $k == *u3* ]] && echo --bits 3) $( [[ $k == *g64* ]] && echo --group 64) $( [[ $k == *bf16* ]] && echo --dtype bf16) --calls 1 > $W/sanitizer_$k.log 2>&1
  echo "sanitizer $k rc=$? $(grep 'ERROR SUMMARY' $W/sanitizer_$k.log)"
done
for lib in old new; do
  use $lib
  timeout 150 python3 -m mixgemm.bench --bits 3,4 --dtype f16 --group-size 128 --all-kernels \
    --m 16,32 --anchors none --out $W/bench_$lib > $W/bench_$lib.log 2>&1
  echo "bench $lib rc=$? (${SECONDS}s)"
  xz -T0 -c $W/bench_$lib/bench.csv > $OUT/bench_$lib.csv.xz
done
python3 bench/compare.py $W/bench_old/bench.csv $W/bench_new/bench.csv --m 16,32 | tee $OUT/compare.txt | tail -30
cp $W/gpu_tests.log $W/sanitizer_*.log $OUT/
