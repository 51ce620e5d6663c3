#!/usr/bin/env bash
# v84: the README's benchmark command with the table re-tuned on v80-v82 (session 18). The
# library holds every tile the table names (tiles.txt), 3/4 bits, f16/bf16, group 128, built
# on the GPU machine (16 cores) by bench/build_subset.sh; then the README command (f16 and
# bf16, the heuristic's kernels) and the same with MIXGEMM_PDL=1 (f16).
# carry: [".whl"]
# (Run with the body of bench/table_bench.sh, which was then inline here.)
cd "$(dirname "$0")/../../../.." && bash bench/table_bench.sh bench/results/steps/v84-readme-bench/tiles.txt
