#!/usr/bin/env bash
# v89: block timelines (bench/timeline.py, probes built here into build/timeline) of the
# cluster split-K picks on the small layers at M = 64, one with activation multicast, and the
# 8B o_proj decode pick at M = 1. carry: ["build/timeline"]
set -uo pipefail
cd "$(dirname "$0")/../../../.."
python3 bench/timeline.py run --out "$OUT/timelines" \
  "sm90_f16_u4_g128_m64n64k256_s4_bulk_tma_pw_clusterk 4096 4096 64" \
  "sm90_f16_u4_g128_m64n64k256_s4_bulk_tma_pw_mc2_clusterk 4096 4096 64" \
  "sm90_f16_u4_g128_m64n128k256_s4_bulk_tma_pw_clusterk 4096 4096 64" \
  "sm90_f16_u4_g128_m64n128k256_s3_bulk_tma_pw_clusterk 4096 6144 64" \
  "sm90_f16_u4_g128_m64n128k256_s4_bulk_tma_pw_clusterk 8192 8192 64" \
  "sm80_f16_u4_g128_m8n32k128_s4_p8_splitk 4096 4096 1" 2>&1 | tail -3
for f in "$OUT"/timelines/*.txt; do echo "== $(basename "$f")"; sed -n '1,2p;/summary/,$p' "$f"; done
xz -T0 "$OUT"/timelines/*.csv
