#!/usr/bin/env bash
# v128 (session 26): L2 prefetch ahead of the sm80 decode pipeline (change.diff). Each thread
# of a pipe asks L2 (prefetch.global.L2) for one 128-byte line of the slice kPrefetchSlices
# beyond the one it copies. Builds the committed code and the change at distances D = 2, 4
# and 8 for the sm80 tiles the table picks at M <= 16 (3/4-bit, fp16, g128); checks D = 4
# (GPU tests and compute-sanitizer, fp16 and bf16, groups 32, 64, 128 and per channel, on 5
# tiles); times all four libraries at M = 1, 4, 16 and compares each with the committed one.
# About 7 minutes. carry: [".whl"]
source "$(dirname "$0")/../../../device_env.sh"
S=bench/results/steps/v128-sm80-l2-prefetch
H=templates/include/mixgemm/sm80_gemm.cuh
T="sm80_m4n32k128_s3_p8_splitk sm80_m8n32k128_s3_p8_splitk sm80_m16n32k256_s2_p4_splitk
sm80_m1n32k256_s3_p8_splitk sm80_m8n32k128_s4_p8_splitk sm80_m16n32k128_s3_p8_splitk
sm80_m4n128k256_s2_p2_splitk sm80_m8n128k256_s2_p2_splitk sm80_m8n128k256_s3_p2_splitk
sm80_m8n32k128_s2_p16_splitk sm80_m8n32k256_s2_p8_splitk sm80_m16n64k128_s3_p4_splitk
sm80_m8n32k128_s4_p4_splitk sm80_m16n128k256_s2_p2_splitk sm80_m8n64k128_s4_splitk
sm80_m8n64k256_s3_p4_splitk sm80_m16n64k256_s2_p4_splitk sm80_m8n64k128_s4_p2_splitk
sm80_m8n128k256_s3_streamk sm80_m16n128k256_s3_streamk sm80_m4n32k256_s2_p8_splitk
sm80_m16n128k128_s3_p4_splitk"
C="sm80_m8n64k128_s4_p2_splitk sm80_m4n32k256_s2_p8_splitk sm80_m8n32k128_s2_p16_splitk
sm80_m16n128k256_s3_streamk sm80_m8n128k256_s3_streamk"
W=$(mktemp -d); SECONDS=0
pack_logs() { (cd "$OUT" && tar czf logs.tgz *.log && rm -f *.log); }
trap pack_logs EXIT
bash bench/build_subset.sh $W/d0 "$T" "3 4" f16 128 | tail -1
{ patch -p1 < $S/change.diff || git apply $S/change.diff; } > /dev/null || exit 1
for d in 2 4 8; do
  sed -i "s/#define MIXGEMM_SM80_PREFETCH_SLICES [0-9]*/#define MIXGEMM_SM80_PREFETCH_SLICES $d/" $H
  bash bench/build_subset.sh $W/d$d "$T" "3 4" f16 128 | tail -1
  [ $d = 4 ] && bash bench/build_subset.sh $W/check "$C" "3 4" "f16 bf16" "32 64 128 ch" | tail -1
done
echo "built (${SECONDS}s)"
bash bench/check_library.sh $W/check check
echo "checked (${SECONDS}s)"
for d in 0 2 4 8; do
  MIXGEMM_LIBRARY=$W/d$d/libmixgemm.so MIXGEMM_MANIFEST=$W/d$d/manifest.json timeout 120 \
    python3 -m mixgemm.bench --bits 3,4 --dtype f16 --group-size 128 --all-kernels \
    --m 1,4,16 --anchors none --out $W/bench_d$d > "$OUT/bench_d$d.log" 2>&1
  echo "bench D=$d rc=$? (${SECONDS}s)"
  xz -T0 -c $W/bench_d$d/bench.csv > "$OUT/bench_d$d.csv.xz"
done
for d in 2 4 8; do
  echo "== D=$d / committed"
  python3 bench/compare.py $W/bench_d0/bench.csv $W/bench_d$d/bench.csv | grep -E "cuBLAS|best|^ "
done
