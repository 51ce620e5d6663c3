#!/usr/bin/env bash
# v134 (prepared in session 26, not run): 16-row sm80 tiles with 64-column warp tiles
# (change.diff): half the warps, each reading the activations once for twice the weights.
# Timed with and without it for the catalog's 16-row tiles at M = 16 (the 32-column ones are
# unchanged and serve as the control), fp16, 3/4-bit, g128, through bench/time_change.sh;
# correctness at groups 32, 64 and per channel in fp16 and bf16 (check.txt). About 5 minutes.
# carry: [".whl"]
cd "$(dirname "$0")/../../../.." && bash bench/time_change.sh bench/results/steps/v134-16row-wide-warp-tiles 16
