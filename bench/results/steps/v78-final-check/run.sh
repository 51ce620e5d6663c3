#!/usr/bin/env bash
# v78: the library as committed in session 17 (800 kernels for sm_90, the clusterk tiles
# included), built on the GPU machine: every GPU test, the C example, the compute-sanitizer
# sample, and ptxas's spill and C7514 counts. (A first run with session 16's review leftovers
# in sm90_gemm.cuh: leftovers-tried/; they made three kernels spill and were reverted.)
# carry: [".whl"]
cd "$(dirname "$0")/../../../.." &&
  python3 -m pip install -q --no-deps .whl/nvidia_cutlass-*.whl > /dev/null 2>&1
BENCH=0 DEADLINE=570 OUT=$OUT bash bench/gpu_check.sh 2>&1 | tail -14
