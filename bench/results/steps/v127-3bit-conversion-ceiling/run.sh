#!/usr/bin/env bash
# v127 (session 26): the ceiling of a 3-bit decode without per-pair conversions. change.diff
# (timing only, results wrong on purpose) hands the 3-bit codes to the MMA as the LOP3 leaves
# them, with no HADD2/HFMA2; 4-bit kernels are unchanged and serve as the control. The 3-bit
# picks of the 70B layers at M <= 16, fp16, g128, timed at M = 1, 4, 16 with and without it
# through bench/time_change.sh (its GPU tests of the changed library fail on 3-bit by design).
# About 4 minutes. carry: [".whl"]
cd "$(dirname "$0")/../../../.." && bash bench/time_change.sh bench/results/steps/v127-3bit-conversion-ceiling 1,4,16
