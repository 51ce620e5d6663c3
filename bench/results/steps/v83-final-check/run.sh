#!/usr/bin/env bash
# v83: the library as committed in session 18 (1020 kernels for sm_90: the new decode and
# cluster split-K tiles, the relaxed cluster exit), built on the GPU machine: every GPU test,
# the C example, the compute-sanitizer sample, and ptxas's spill and C7514 counts.
# carry: [".whl"]
cd "$(dirname "$0")/../../../.." &&
  python3 -m pip install -q --no-deps .whl/nvidia_cutlass-*.whl > /dev/null 2>&1
BENCH=0 DEADLINE=570 OUT=$OUT bash bench/gpu_check.sh 2>&1 | tail -14
