#!/usr/bin/env bash
# v130 (session 26): what the activation copies cost the sm80 decode tiles. change.diff (a
# timing probe, results wrong on purpose) stops the activation copies after the pipeline's
# first slices, so the weights stream alone. The catalog's sm80 picks at M <= 16 (16-row and
# 8-or-fewer-row tiles), fp16, 3/4-bit, g128, timed at M = 1, 4, 16 with and without it through
# bench/time_change.sh (whose GPU tests of the changed library fail by design). About 4
# minutes. carry: [".whl"]
cd "$(dirname "$0")/../../../.." && bash bench/time_change.sh bench/results/steps/v130-activation-refill-probe 1,4,16
