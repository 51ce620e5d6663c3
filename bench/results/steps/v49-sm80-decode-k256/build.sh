#!/usr/bin/env bash
# The library of run.sh: sm80 decode tiles with 256-deep slices (each thread unpacks twice the
# codes per K iteration, over which the iteration's fixed work is spread) and the 128-deep
# tiles the heuristic picks at M <= 16, f16 3- and 4-bit group 128; into .carry/v49.
set -euo pipefail
cd "$(dirname "$0")/../../../.."
TILES="m8n32k256_s3_p4_splitk m8n32k256_s4_p4_splitk m8n64k256_s3_p2_splitk m8n64k256_s3_p4_splitk
m16n64k256_s3_p2_splitk m16n32k256_s3_p4_splitk m16n128k256_s3_p2_splitk
m8n32k128_s3_p8_splitk m8n32k128_s4_p4_splitk m8n64k128_s4_splitk m8n128k256_s3_streamk
m16n64k128_s3_p4_splitk m16n128k256_s3_streamk m16n32k128_s4_p4_splitk"
args=()
for bits in 3 4; do
  for t in $TILES; do k=sm80_f16_u${bits}_g128_$t; args+=(--name "$k" --kernel "$k"); done
done
rm -rf /tmp/v49
python3 -m codegen.cli emit --arch sm80 --bits 3,4 --targets sm_90 "${args[@]}" --out /tmp/v49/gen --build-dir /tmp/v49/build
python3 -m codegen.cli build --out /tmp/v49/gen --build-dir /tmp/v49/build -j 2
rm -rf .carry/v49 && mkdir -p .carry/v49
cp /tmp/v49/build/libmixgemm.so /tmp/v49/gen/manifest.json .carry/v49/ && cp -r /tmp/v49/build/include .carry/v49/
