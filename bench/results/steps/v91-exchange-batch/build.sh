#!/usr/bin/env bash
# v91 libraries (built here from a tree of main with change.diff, carried as .carry/v91): the
# cluster split-K exchange reading MIXGEMM_EXCHANGE_BATCH = 1 (main), 2 or 4 quads per thread
# before it adds and stores any, on the clusterk tiles the table picks at M = 16-128, f16
# 4-bit g128; and a check library (batch 2: f16 and bf16, 3 and 4 bits, g128 and g64).
set -euo pipefail
cd "${TREE:-/tmp/wt2}"
T="sm90_m64n64k256_s4_bulk_tma_pw_clusterk sm90_m64n128k256_s3_bulk_tma_pw_clusterk sm90_m64n128k128_s4_bulk_tma_pw_clusterk sm90_m64n128k256_s4_bulk_tma_pw_clusterk sm90_m64n192k128_s4_bulk_tma_pw_clusterk sm90_m16n256k256_s4_bulk_tma_pw_clusterk sm90_m32n128k256_s3_bulk_tma_pw_clusterk sm90_m128n128k128_s4_bulk_tma_pw_clusterk sm90_m128n192k128_s4_bulk_tma_pw_clusterk"
C=/work/main/.carry/v91
for b in 1 2 4; do
  NVCC_APPEND_FLAGS="-DMIXGEMM_EXCHANGE_BATCH=$b" JOBS=2 bash bench/build_subset.sh /tmp/v91lib/b$b "$T" 4 f16 128
  mkdir -p $C/b$b && gzip -9 -c /tmp/v91lib/b$b/libmixgemm.so > $C/b$b/libmixgemm.so.gz && cp /tmp/v91lib/b$b/manifest.json $C/b$b/
done
NVCC_APPEND_FLAGS="-DMIXGEMM_EXCHANGE_BATCH=2" JOBS=2 bash bench/build_subset.sh /tmp/v91lib/check \
  "sm90_m64n64k256_s4_bulk_tma_pw_clusterk sm90_m32n128k256_s3_bulk_tma_pw_clusterk sm90_m128n256k128_s4_bulk_tma_clusterk" "3 4" "f16 bf16" "128 64"
mkdir -p $C/check && gzip -9 -c /tmp/v91lib/check/libmixgemm.so > $C/check/libmixgemm.so.gz && cp /tmp/v91lib/check/manifest.json $C/check/
