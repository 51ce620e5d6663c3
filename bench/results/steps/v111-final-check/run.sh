#!/usr/bin/env bash
# v111: the full library with the narrow decode tiles in the catalog (session 24), built on the GPU machine: every GPU
# test, the C example, the compute-sanitizer sample, ptxas's spill and C7514 counts and
# bench/occupancy.py. The README benchmark ran before it on a subset library of the same code
# (bench/table_bench.sh; bench/results/nvidia-h200{,-pdl}/). carry: [".whl"]
cd "$(dirname "$0")/../../../.." &&
  python3 -m pip install -q --no-deps .whl/nvidia_cutlass-*.whl > /dev/null 2>&1
BENCH=0 DEADLINE=470 OUT=$OUT bash bench/gpu_check.sh 2>&1 | tail -16
