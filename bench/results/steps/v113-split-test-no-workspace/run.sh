#!/usr/bin/env bash
# v113 (session 24): the GPU tests and compute-sanitizer on a library whose split-K kernels
# need no workspace at the test's shapes (pipes split K inside the block only), which the
# split-kernel test failed on in v112 (KeyError: it assumed a workspace was made). carry: [".whl"]
cd "$(dirname "$0")/../../../.." || exit 1
python3 -m pip install -q --no-deps .whl/nvidia_cutlass-*.whl > /dev/null 2>&1
export PYTHONPATH="$PWD:$PWD/python" PYTHONUNBUFFERED=1
W=$(mktemp -d)
bash bench/build_subset.sh $W/lib "sm80_m4n32k128_s3_p8_splitk sm80_m1n32k256_s3_p8_splitk" \
  "3 4" "f16" "32 ch" && bash bench/check_library.sh $W/lib no_workspace
