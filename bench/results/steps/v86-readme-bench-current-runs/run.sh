#!/usr/bin/env bash
# v86: the README's benchmark command with the table tuned on the runs of the current kernel
# code only (v72 on; session 18): every tile it names (tiles.txt), 3/4 bits, f16/bf16, group
# 128, then the same with MIXGEMM_PDL=1 (f16). carry: [".whl"]
cd "$(dirname "$0")/../../../.." && bash bench/table_bench.sh bench/results/steps/v86-readme-bench-current-runs/tiles.txt
