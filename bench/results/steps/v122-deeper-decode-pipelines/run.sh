#!/usr/bin/env bash
# v122 (session 25): decode tiles with 4-8 stages against the catalog's tiles of up to 8 rows,
# fp16 and bf16, 3- and 4-bit, M = 1, 4, through bench/time_candidates.sh. About 4 minutes.
# carry: [".whl"]
cd "$(dirname "$0")/../../../.." && bash bench/time_candidates.sh bench/results/steps/v122-deeper-decode-pipelines 1,4 150
