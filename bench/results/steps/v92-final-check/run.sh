#!/usr/bin/env bash
# v92: the library as committed in session 21 (v91's exchange batching landed), built on the
# GPU machine: every GPU test, the C example, the compute-sanitizer sample, and ptxas's spill
# and C7514 counts. build/ stays on the machine for the README benchmark that follows
# (readme_bench.sh). carry: [".whl"]
cd "$(dirname "$0")/../../../.." &&
  python3 -m pip install -q --no-deps .whl/nvidia_cutlass-*.whl > /dev/null 2>&1
BENCH=0 DEADLINE=570 OUT=$OUT bash bench/gpu_check.sh 2>&1 | tail -14
