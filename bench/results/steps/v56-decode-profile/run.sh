#!/usr/bin/env bash
# v56 (prepared in session 13, run in session 14): what bounds the 8-row decode kernels on the layers
# where they are furthest from the roofline. One device call, carry: [".whl"] (the
# nvidia-cutlass wheel: `pip download --no-deps nvidia-cutlass==4.2.0.0 -d .whl`). Builds the
# 22 f16 group-128 8-row kernels there (16 cores, well under a minute), then Nsight Compute at
# the benchmark's clocks (ncu flushes the caches before the profiled kernel: DRAM reads, as in
# the benchmark) on the heuristic's kernel at M = 1, 4- and 3-bit:
#   8B o_proj (0.36 of the roofline), 70B qkv (0.65), 70B o_proj (0.71), 70B down (0.91).
# Questions: bytes in flight per SM (dram throughput vs the issued LDGSTS), the stall reasons
# (long scoreboard = waiting on memory; barrier = the pipes' reduction), achieved occupancy,
# and how much of the time is the split-K pipes' shared-memory reduction and the tail.
set -uo pipefail
cd "$(dirname "$0")/../../../.."
export PYTHONPATH="$PWD:$PWD/python" PYTHONUNBUFFERED=1
python3 -m pip install -q --no-deps .whl/nvidia_cutlass-4.2.0.0-py3-none-any.whl > /dev/null 2>&1
python3 -m codegen.cli emit --arch sm80 --bits 3,4 --group-size 128 --dtype f16 \
  --name 'sm80_f16_u*_g128_m8n*' --targets sm_90 > "$OUT/emit.log" 2>&1 &&
  python3 -m codegen.cli build > "$OUT/build.log" 2>&1 || { echo "build failed"; tail -5 "$OUT/build.log"; exit 1; }
export OUT
NCU_ARGS="--clock-control none" NCU_METRICS="dram__bytes_read.sum.per_second,sm__warps_active.avg.pct_of_peak_sustained_active,smsp__inst_executed.sum" \
  bash bench/profile.sh "4096 4096 1" "8192 10240 1" "8192 8192 1" "28672 8192 1" \
  "4096 4096 1 --bits 3" "8192 10240 1 --bits 3" "28672 8192 1 --bits 3" > /dev/null 2>&1
grep -E "^===|kernel:|Duration|DRAM Throughput|Memory Throughput|Achieved Occupancy|Issue Slots Busy|Registers Per|Block Limit|stalled_(long_scoreboard|barrier|wait|math|short|mio|lg)" \
  "$OUT/ncu.txt" | head -150
