#!/usr/bin/env bash
# v116 (session 25): new 16- and 32-row tiles against the table's current M = 16 and 32 picks,
# f16 and bf16, 3- and 4-bit, M = 16, 32, through bench/time_candidates.sh (build, GPU tests,
# every kernel timed, best new tile per cell). About 6-7 minutes. carry: [".whl"]
cd "$(dirname "$0")/../../../.." && bash bench/time_candidates.sh bench/results/steps/v116-m16-m32-tile-candidates 16,32 170
