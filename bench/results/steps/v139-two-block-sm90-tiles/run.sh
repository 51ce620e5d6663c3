#!/usr/bin/env bash
# v139 (session 28): sm90 tiles of two 256-deep stages (128-deep for 128 rows), which the
# producer warp's pipeline now allows (tiles_new.txt), so that the 64- and 128-row tiles of 2
# warpgroups fit two blocks per SM where their 3- and 4-stage siblings fit one. Against the
# committed table's tiles of 32 rows or more (tiles_old.txt), fp16 and bf16, 3/4-bit, g128,
# M = 32, 64, 128, through bench/time_candidates.sh, then compute-sanitizer's sample on a
# library of the new tiles alone. About 8 minutes. carry: [".whl"]
cd "$(dirname "$0")/../../../.."
step=bench/results/steps/v139-two-block-sm90-tiles
bash bench/time_candidates.sh $step 32,64,128 200
bash bench/build_subset.sh /tmp/v139new "$(cat $step/tiles_new.txt)" "3 4" "f16 bf16" 128 | tail -1
bash bench/check_library.sh /tmp/v139new new_tiles
