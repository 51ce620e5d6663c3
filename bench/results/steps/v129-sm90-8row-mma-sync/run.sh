#!/usr/bin/env bash
# v129 (session 26): the sm90 8-row tiles (v123) with mma.sync in place of wgmma
# (change.diff): the producer warp, bulk weight copies and TMA activations stay. Checks three of
# the tiles at groups 32, 64 and per channel in fp16 and bf16 (GPU tests, compute-sanitizer),
# then bench/time_candidates.sh: the seven 8-row sm90 tiles against the catalog's sm80 tiles
# of up to 8 rows (v123's lists), fp16 and bf16, 3/4-bit, g128, M = 1, 4, 8. About 6 minutes.
# carry: [".whl"]
source "$(dirname "$0")/../../../device_env.sh"
S=bench/results/steps/v129-sm90-8row-mma-sync
{ patch -p1 < $S/change.diff || git apply $S/change.diff; } > /dev/null || exit 1
W=$(mktemp -d)
bash bench/build_subset.sh $W/check "sm90_m8n128k256_s4_bulk_tma_pw_streamk
sm90_m8n64k256_s4_bulk_tma_pw_clusterk sm90_m8n128k128_s4_bulk_tma_pw_streamk" "3 4" \
  "f16 bf16" "32 64 ch" | tail -1
bash bench/check_library.sh $W/check check
bash bench/time_candidates.sh $S 1,4,8
