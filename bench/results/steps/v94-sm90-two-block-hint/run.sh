#!/usr/bin/env bash
# v94: the sm90 tiles that the register hint of sm90_gemm.cuh now asks ptxas to fit two
# blocks per SM (shared memory allows two, and two leave 96+ registers a thread): built for
# every width, activation and group of the default set, their registers, the GPU tests and
# compute-sanitizer on them, and every one timed (f16 and bf16, group 128), to compare with
# the same kernels in v93 (no hint). carry: [".whl"]
set -uo pipefail
source "$(dirname "$0")/../../../device_env.sh"  # repository root, PYTHONPATH, the carried wheel
S=bench/results/steps/v94-sm90-two-block-hint
W=$(mktemp -d); SECONDS=0
bash bench/build_subset.sh $W/lib "$(cat $S/tiles.txt)" "3 4" "f16 bf16" "32 64 128 ch" || exit 1
echo "built (${SECONDS}s)"
# (As run in session 21 the lines of bench/check_rebuilt.sh were written out here.)
bash bench/check_rebuilt.sh $W/lib bench/results/steps/v93-all-kernels
