#!/usr/bin/env bash
# v104 (prepared in session 22, not run): see README.md. One device call, about 5 minutes:
# GPU tests and compute-sanitizer on check.txt's library (3/5-bit, f16/bf16, groups
# 32/128/per-channel, sm80 and sm90 tiles) and on the changed timing library, then the 27 sm80
# decode tiles (3-bit, f16 and bf16) timed with and without change.diff. carry: [".whl"]
cd "$(dirname "$0")/../../../.." && bash bench/time_change.sh bench/results/steps/v104-gathered-slot-sign-bits 1,4,16
