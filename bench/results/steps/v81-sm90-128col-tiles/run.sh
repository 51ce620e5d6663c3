#!/usr/bin/env bash
# v81: sm90 tiles of 128 and 192 columns (32 and 64 rows; cluster split-K, split-K, Stream-K)
# against the sm90 tiles the table picks at M = 32..128: f16 and bf16, 3 and 4 bits, group
# 128, one library built here and timed in one run. carry: [".whl"]
# (Run with the body of bench/time_candidates.sh, which was then inline here.)
cd "$(dirname "$0")/../../../.." && bash bench/time_candidates.sh bench/results/steps/v81-sm90-128col-tiles 32,64,128 170
