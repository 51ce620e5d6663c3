#!/usr/bin/env bash
# v80: 256-deep decode tiles with pipes (16 rows; 8-row ones of 128 columns) that fit the
# sm80 family's 163 KB, against the catalog's decode tiles: M = 1..16, f16 and bf16, 3 and 4
# bits, group 128, one library built here and timed in one run. carry: [".whl"]
# (Run with the body of bench/time_candidates.sh, which was then inline here.)
cd "$(dirname "$0")/../../../.." && bash bench/time_candidates.sh bench/results/steps/v80-decode-k256-tiles 1,4,8,16 200
