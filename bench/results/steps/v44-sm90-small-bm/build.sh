#!/usr/bin/env bash
# The library of run.sh: four sm90 tiles of 16 and 32 rows, and the kernels they compete with.
set -euo pipefail
cd "$(dirname "$0")/../../../.."
K="sm90_f16_u4_g128_m32n256k128_s4_bulk_tma_pw_streamk sm90_f16_u4_g128_m32n128k128_s4_bulk_tma_pw_streamk
sm90_f16_u4_g128_m32n256k128_s4_bulk_tma_splitk sm90_f16_u4_g128_m16n256k128_s4_bulk_tma_pw_streamk
sm90_f16_u4_g128_m32n192k128_s4_bulk_tma_pw_streamk sm90_f16_u4_g128_m64n256k128_s4_bulk_tma_pw_streamk
sm80_f16_u4_g128_m32n128k128_s4_streamk sm80_f16_u4_g128_m32n128k128_s4_splitk
sm80_f16_u4_g128_m16n64k128_s3_p4_splitk sm80_f16_u4_g128_m16n128k256_s3_streamk"
args=(); for k in $K; do args+=(--name "$k" --kernel "$k"); done
rm -rf /tmp/x
python3 -m codegen.cli emit --arch sm80,sm90 --bits 4 --targets sm_90 "${args[@]}" --out /tmp/x/gen --build-dir /tmp/x/build
python3 -m codegen.cli build --out /tmp/x/gen --build-dir /tmp/x/build -j 2
rm -rf .carry/x && mkdir -p .carry/x
cp /tmp/x/build/libmixgemm.so /tmp/x/gen/manifest.json .carry/x/ && cp -r /tmp/x/build/include .carry/x/
