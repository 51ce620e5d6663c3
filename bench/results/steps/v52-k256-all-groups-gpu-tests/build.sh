#!/usr/bin/env bash
# The library of the v52 call: the seven 256-deep tiles of session 13 at every group size,
# dtype and bit width of the catalog (112 kernels), into .carry/k256 (5 minutes on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/../../../.."
args=()
for t in m8n32k256_s3_p4_splitk m8n32k256_s4_p4_splitk m8n64k256_s3_p2_splitk m8n64k256_s3_p4_splitk \
         m32n256k256_s4_bulk_tma_splitk m32n256k256_s4_bulk_tma_pw_streamk m64n256k256_s3_bulk_tma_pw_streamk; do
  args+=(--name "*_$t")
done
rm -rf /tmp/k256
python3 -m codegen.cli emit --arch sm80,sm90 --bits 3,4 --targets sm_90 "${args[@]}" --out /tmp/k256/gen --build-dir /tmp/k256/build
python3 -m codegen.cli build --out /tmp/k256/gen --build-dir /tmp/k256/build -j 2
rm -rf .carry/k256 && mkdir -p .carry/k256
cp /tmp/k256/build/libmixgemm.so /tmp/k256/gen/manifest.json .carry/k256/ && cp -r /tmp/k256/build/include .carry/k256/
