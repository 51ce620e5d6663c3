#!/usr/bin/env bash
# v133 (prepared in session 26, not run): sm90 16-row tiles with plain cp.async copies
# (tiles_new.txt: no bulk copies, no TMA, no producer warp) against the catalog's 16-row
# tiles (tiles_old.txt), fp16 and bf16, 3/4-bit, g128, M = 16, through bench/time_candidates.sh.
# The benchmark's new clock columns record the SM clock of each. About 5 minutes.
# carry: [".whl"]
cd "$(dirname "$0")/../../../.." && bash bench/time_candidates.sh bench/results/steps/v133-sm90-plain-16row 16
