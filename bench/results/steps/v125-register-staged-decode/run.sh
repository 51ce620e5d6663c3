#!/usr/bin/env bash
# v125 (prepared in session 25, not run): register-staged slices for the 8-row decode tiles
# (change.diff), timed with and without the change for the catalog's tiles of up to 8 rows,
# fp16, 3/4-bit, g128, M = 1, 4, through bench/time_change.sh; correctness at groups 32, 64
# and per channel in fp16 and bf16 (check.txt). About 6 minutes. carry: [".whl"]
cd "$(dirname "$0")/../../../.." && bash bench/time_change.sh bench/results/steps/v125-register-staged-decode 1,4
