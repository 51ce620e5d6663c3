#!/usr/bin/env bash
# v119 (session 25): wgmma issued in batches of two k16 steps (one fence, one commit, one wait
# per batch; change.diff) against one step per batch, for the sm90 picks at M = 16-128 and one
# sm80 control, fp16, 3/4-bit, g128, through bench/time_change.sh. Correctness at groups 32,
# 64 and per channel in fp16 and bf16 (check.txt), with a 64-deep slice. About 5 minutes.
# carry: [".whl"]
cd "$(dirname "$0")/../../../.." && bash bench/time_change.sh bench/results/steps/v119-wgmma-batches 16,32,64,128
