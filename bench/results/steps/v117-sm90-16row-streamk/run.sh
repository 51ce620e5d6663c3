#!/usr/bin/env bash
# v117 (session 25): sm90 16-row Stream-K tiles against the catalog's 16-row tiles, f16 and
# bf16, 3- and 4-bit, M = 16, through bench/time_candidates.sh. About 3 minutes. carry: [".whl"]
cd "$(dirname "$0")/../../../.." && bash bench/time_candidates.sh bench/results/steps/v117-sm90-16row-streamk 16 120
