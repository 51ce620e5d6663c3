#!/usr/bin/env bash
# v105 (prepared in session 22, not run): see README.md. One device call, about 6 minutes:
# GPU tests and compute-sanitizer on check.txt's library (3/4-bit, f16/bf16, groups
# 32/64/128/per-channel, decode, Stream-K and wide sm80 tiles: 80 kernels) and on the changed timing
# library, then the 27 sm80 decode tiles (3/4-bit, f16 and bf16) timed with and without
# change.diff. carry: [".whl"]
cd "$(dirname "$0")/../../../.." && bash bench/time_change.sh bench/results/steps/v105-hoisted-scale-copies 1,4,16
