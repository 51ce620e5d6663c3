#!/usr/bin/env bash
# v120 (session 25): sm80 16-row Stream-K tiles of 4-6 warps per scheduler (v118) against the catalog's 16-row tiles, f16 and
# bf16, 3- and 4-bit, M = 16, through bench/time_candidates.sh. About 3 minutes. carry: [".whl"]
cd "$(dirname "$0")/../../../.." && bash bench/time_candidates.sh bench/results/steps/v120-sm80-16row-streamk-occupancy 16 120
