#!/usr/bin/env bash
# v82: narrower cluster split-K tiles (64 and 128 columns, 16..128 rows) against v81's winners
# and the table's sm90 picks at M = 16..256: f16 and bf16, 3 and 4 bits, group 128, one
# library built here and timed in one run. carry: [".whl"]
# (Run with the body of bench/time_candidates.sh, which was then inline here.)
cd "$(dirname "$0")/../../../.." && bash bench/time_candidates.sh bench/results/steps/v82-sm90-narrow-clusterk 16,32,64,128,256 170
