#!/usr/bin/env bash
# v96 (prepared, not run): the 416-, 512- and 544-thread sm90 tiles, which shared memory would
# let two blocks share an SM, built with change.diff (the two-block hint down to 48 registers a
# thread), their registers, the GPU tests and compute-sanitizer on them, and each timed (f16 and
# bf16, group 128) to compare with the same kernels in v93 (no hint). carry: [".whl"]
set -uo pipefail
source "$(dirname "$0")/../../../device_env.sh"  # repository root, PYTHONPATH, the carried wheel
S=bench/results/steps/v96-sm90-two-blocks-wide-tiles
W=$(mktemp -d); SECONDS=0
# change.diff's one line, by sed (the machine's copy of the tree has no .git)
T=templates/include/mixgemm/sm90_gemm.cuh
sed -i 's/kMinRegsPerThread = 96;/kMinRegsPerThread = 48;/' $T && grep -q "= 48;" $T || exit 1
bash bench/build_subset.sh $W/lib "$(cat $S/tiles.txt)" "3 4" "f16 bf16" "128"
rc=$?; sed -i 's/kMinRegsPerThread = 48;/kMinRegsPerThread = 96;/' $T; [ $rc = 0 ] || exit 1
echo "built (${SECONDS}s)"
bash bench/check_rebuilt.sh $W/lib bench/results/steps/v93-all-kernels
