#!/usr/bin/env bash
# 256-deep K slices for the 32- and 64-row sm90 tiles (twice the codes per slice over which the
# per-slice work is spread) against the 128-deep ones, f16 4-bit group 128; into .carry/z (v48 README).
# Run: LIB_DIR=.carry/z MS=32,64 bash bench/results/steps/v44-sm90-small-bm/run.sh
set -euo pipefail
cd "$(dirname "$0")/../../../.."
K="sm90_f16_u4_g128_m32n256k256_s4_bulk_tma_pw_streamk sm90_f16_u4_g128_m32n256k256_s4_bulk_tma_splitk
sm90_f16_u4_g128_m32n128k256_s4_bulk_tma_pw_streamk
sm90_f16_u4_g128_m32n256k128_s4_bulk_tma_pw_streamk sm90_f16_u4_g128_m32n256k128_s4_bulk_tma_splitk
sm90_f16_u4_g128_m64n256k256_s3_bulk_tma_pw_streamk sm90_f16_u4_g128_m64n256k128_s4_bulk_tma_pw_streamk
sm90_f16_u4_g128_m64n256k128_s4_bulk_tma_splitk sm80_f16_u4_g128_m32n128k128_s4_streamk"
args=(); for k in $K; do args+=(--name "$k" --kernel "$k"); done
rm -rf /tmp/z
python3 -m codegen.cli emit --arch sm80,sm90 --bits 4 --targets sm_90 "${args[@]}" --out /tmp/z/gen --build-dir /tmp/z/build
python3 -m codegen.cli build --out /tmp/z/gen --build-dir /tmp/z/build -j 2
rm -rf .carry/z && mkdir -p .carry/z
cp /tmp/z/build/libmixgemm.so /tmp/z/gen/manifest.json .carry/z/ && cp -r /tmp/z/build/include .carry/z/
