#!/usr/bin/env bash
# v108 (prepared in session 23, run in session 24): Nsight Compute profiles, with the pipe utilization of
# the ComputeWorkloadAnalysis section, of the M = 16 picks of 70B o_proj and qkv (4-bit, fp16)
# and of the 3-bit M = 1 pick of 70B o_proj (v103's, now with the pipes). M = 16 runs at 0.56
# of the roofline where M = 1-8 runs at 0.65; the question is which pipe or wait takes the
# difference. About 2 minutes. carry: [".whl"]
set -uo pipefail
source "$(dirname "$0")/../../../device_env.sh"  # repository root, PYTHONPATH, the carried wheel
L=build/v108
use_subset_library $L "sm80_m16n64k256_s2_p4_splitk sm80_m16n128k256_s2_p2_splitk sm80_m8n32k128_s3_p8_splitk" \
  "3 4" "f16" "128" || exit 1
NCU_ARGS="--clock-control none --section ComputeWorkloadAnalysis" bash bench/profile.sh \
  "8192 8192 16 sm80_f16_u4_g128_m16n64k256_s2_p4_splitk --dtype f16 --bits 4" \
  "8192 10240 16 sm80_f16_u4_g128_m16n128k256_s2_p2_splitk --dtype f16 --bits 4" \
  "8192 8192 1 sm80_f16_u4_g128_m8n32k128_s3_p8_splitk --dtype f16 --bits 4" \
  "8192 8192 1 sm80_f16_u3_g128_m8n32k128_s3_p8_splitk --dtype f16 --bits 3" > /dev/null
grep -E "^===|Duration|DRAM Throughput|Issue Slots Busy|Executed Ipc Active|SM Busy|highest-utilized|pipeline|Registers Per|Achieved Active Warps|stalled_(math|long|short|wait|not_selected|selected|barrier|mio|dispatch)" \
  "$OUT/ncu.txt" | head -100
