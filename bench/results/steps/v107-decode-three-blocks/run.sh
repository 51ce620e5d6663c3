#!/usr/bin/env bash
# v107 (prepared in session 23, run in session 24): see README.md. One device call, about 5 minutes:
# GPU tests and compute-sanitizer on check.txt's library (the 8x32x128 8-pipe tiles, 3/4-bit,
# f16/bf16, groups 32/128/per-channel) and on the changed timing library, then eleven decode
# tiles timed with and without change.diff at M = 1, 4, 16 (8-row, narrow and 16-row). carry: [".whl"]
cd "$(dirname "$0")/../../../.." && bash bench/time_change.sh bench/results/steps/v107-decode-three-blocks 1,4,16
