#!/usr/bin/env bash
# v140 (session 28): sm90 producer-warp tiles of 6 and 8 stages of 128-deep slices, which the
# barrier area now allows (tiles_new.txt), against the committed table's sm90 tiles of 16 to
# 64 rows (tiles_old.txt), fp16 and bf16, 3/4-bit, g128, M = 16, 32, 64, through
# bench/time_candidates.sh, then the GPU tests and compute-sanitizer's sample on a library of
# the new tiles alone. About 7 minutes. carry: [".whl"]
cd "$(dirname "$0")/../../../.."
step=bench/results/steps/v140-deeper-sm90-producer-pipelines
bash bench/time_candidates.sh $step 16,32,64 150
bash bench/build_subset.sh /tmp/v140new "$(cat $step/tiles_new.txt)" "3 4" "f16 bf16" 128 | tail -1
bash bench/check_library.sh /tmp/v140new new_tiles
