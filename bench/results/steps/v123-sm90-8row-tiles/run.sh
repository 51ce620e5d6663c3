#!/usr/bin/env bash
# v123 (session 25): sm90 tiles of 8 activation rows (wgmma m64n8k16, bulk weights, TMA
# activations, a producer warp) against the catalog's sm80 tiles of up to 8 rows, fp16 and
# bf16, 3- and 4-bit, M = 1, 4, 8, through bench/time_candidates.sh; then the GPU tests and
# compute-sanitizer on three of them at groups 32, 64 and per channel. About 5 minutes.
# carry: [".whl"]
cd "$(dirname "$0")/../../../.."
S=bench/results/steps/v123-sm90-8row-tiles
bash bench/time_candidates.sh $S 1,4,8 150
bash bench/build_subset.sh build/v123-check \
  "sm90_m8n128k256_s4_bulk_tma_pw_streamk sm90_m8n64k256_s4_bulk_tma_pw_clusterk sm90_m8n128k128_s4_bulk_tma_pw_streamk" \
  "3 4" "f16 bf16" "32 64 ch" && bash bench/check_library.sh build/v123-check check
