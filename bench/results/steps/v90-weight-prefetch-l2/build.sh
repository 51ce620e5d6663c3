#!/usr/bin/env bash
# (Run on a tree of 358b18e with change.diff applied: main has neither experiment.)
# v90 libraries (built here, carried as .carry/v90): the sm90 _pw tiles the table picks at
# M = 16-256 and the clusterk ones with activation multicast (_mc2), f16 4-bit g128, with the
# producer's L2 prefetch of the weights kWeightPrefetch slices ahead: 0 (base), 2, 4.
set -euo pipefail
cd "$(dirname "$0")/../../../.."
T="sm90_m64n64k256_s4_bulk_tma_pw_clusterk sm90_m64n128k256_s3_bulk_tma_pw_clusterk sm90_m64n128k128_s4_bulk_tma_pw_clusterk sm90_m64n128k256_s4_bulk_tma_pw_clusterk sm90_m64n192k128_s4_bulk_tma_pw_clusterk sm90_m64n256k256_s3_bulk_tma_pw_clusterk sm90_m64n256k256_s3_bulk_tma_pw_streamk sm90_m128n192k128_s4_bulk_tma_pw_streamk sm90_m128n192k128_s4_bulk_tma_pw_clusterk sm90_m128n128k128_s4_bulk_tma_pw_clusterk sm90_m16n256k256_s4_bulk_tma_pw_clusterk sm90_m32n128k256_s3_bulk_tma_pw_clusterk"
MC="sm90_m64n64k256_s4_bulk_tma_pw_mc2_clusterk sm90_m64n64k256_s4_bulk_tma_pw_mc4_clusterk sm90_m64n128k256_s3_bulk_tma_pw_mc2_clusterk sm90_m64n128k128_s4_bulk_tma_pw_mc2_clusterk sm90_m64n128k256_s4_bulk_tma_pw_mc2_clusterk sm90_m64n192k128_s4_bulk_tma_pw_mc2_clusterk sm90_m128n128k128_s4_bulk_tma_pw_mc2_clusterk"
for d in 0 2 4; do
  NVCC_APPEND_FLAGS="-DMIXGEMM_WEIGHT_PREFETCH=$d" JOBS=2 bash bench/build_subset.sh /tmp/v90lib/pf$d "$T $MC" 4 f16 128
  mkdir -p .carry/v90/pf$d && gzip -9 -c /tmp/v90lib/pf$d/libmixgemm.so > .carry/v90/pf$d/libmixgemm.so.gz
  cp /tmp/v90lib/pf$d/manifest.json .carry/v90/pf$d/
done
