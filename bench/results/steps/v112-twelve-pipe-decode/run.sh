#!/usr/bin/env bash
# v112 (session 24): twelve one-warp pipes per block (384 threads, 80 registers: 2 blocks and
# 24 warps per SM) on the decode tiles of 32 columns, against the table's decode tiles. One
# device call: GPU tests and compute-sanitizer on the twelve-pipe kernels at groups
# 32/128/per-channel, then bench/time_candidates.sh at M = 1, 4, 8 (f16, bf16). carry: [".whl"]
cd "$(dirname "$0")/../../../.." || exit 1
step=bench/results/steps/v112-twelve-pipe-decode
python3 -m pip install -q --no-deps .whl/nvidia_cutlass-*.whl > /dev/null 2>&1
export PYTHONPATH="$PWD:$PWD/python" PYTHONUNBUFFERED=1
# The twelve-pipe support is not in main (slower everywhere): apply change.diff first.
{ patch -p1 < $step/change.diff || git apply $step/change.diff; } > /dev/null || exit 1
W=$(mktemp -d)
bash bench/build_subset.sh $W/check "$(cat $step/tiles_new.txt)" "3 4" "f16 bf16" "32 ch" &&
  bash bench/check_library.sh $W/check twelve_pipes
bash bench/time_candidates.sh $step 1,4,8 150
