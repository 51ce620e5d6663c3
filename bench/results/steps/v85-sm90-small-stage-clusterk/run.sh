#!/usr/bin/env bash
# v85: cluster split-K tiles with smaller stages (2-3 blocks per SM: more clusters at once)
# against every sm90 tile of the session-18 table and its 16-row sm80 picks, M = 16..256: f16
# and bf16, 3 and 4 bits, group 128, one library built here, one run. carry: [".whl"]
# (Run with the body of bench/time_candidates.sh, which was then inline here.)
cd "$(dirname "$0")/../../../.." && bash bench/time_candidates.sh bench/results/steps/v85-sm90-small-stage-clusterk 16,32,64,128,256 170
