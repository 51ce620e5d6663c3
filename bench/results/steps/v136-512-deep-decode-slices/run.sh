#!/usr/bin/env bash
# v136 (session 27): sm80 decode tiles with 512-deep K slices (tiles_new.txt) against the
# committed table's tiles of up to 16 rows (tiles_old.txt), fp16 and bf16, 3/4-bit, g128,
# M = 1, 4, 16, through bench/time_candidates.sh. About 6 minutes. carry: [".whl"]
cd "$(dirname "$0")/../../../.." && bash bench/time_candidates.sh bench/results/steps/v136-512-deep-decode-slices 1,4,16 240
