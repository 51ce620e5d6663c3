#!/usr/bin/env bash
# v110 (prepared in session 23, run in session 24): the narrow decode tiles (v109) of every width against
# the table's 8-row tiles, f16 and bf16, 3- and 4-bit, M = 1, 4, 8, through
# bench/time_candidates.sh (build, GPU tests, every kernel timed, best new tile per cell). About
# 5-6 minutes. carry: [".whl"]
cd "$(dirname "$0")/../../../.." && bash bench/time_candidates.sh bench/results/steps/v110-narrow-tile-candidates 1,4,8 150
