#!/usr/bin/env bash
# v114 (session 24): Nsight Compute profiles of the M = 64 picks (sm90 family, 4-bit fp16 g128):
# 70B gate_up (64x256x256 s3 bulk/TMA/producer warp, Stream-K), 70B o_proj and 70B down
# (64x128x256 s4, cluster split-K). At M = 64 they reach 380-530 TF/s, about half the dense
# fp16 rate, at 0.42-0.52 of the memory roofline: the question is what the warps wait on
# (wgmma, barriers, memory) and how busy the tensor pipe is. About 3 minutes. carry: [".whl"]
set -uo pipefail
source "$(dirname "$0")/../../../device_env.sh"  # repository root, PYTHONPATH, the carried wheel
L=build/v114
use_subset_library $L "sm90_m64n256k256_s3_bulk_tma_pw_streamk sm90_m64n128k256_s4_bulk_tma_pw_clusterk" \
  "4" "f16" "128" || exit 1
NCU_ARGS="--clock-control none --section ComputeWorkloadAnalysis" \
NCU_METRICS="regex:sm__pipe_tensor.*cycles_active\.avg\.pct_of_peak_sustained_active" bash bench/profile.sh \
  "8192 57344 64 sm90_f16_u4_g128_m64n256k256_s3_bulk_tma_pw_streamk --dtype f16 --bits 4" \
  "8192 8192 64 sm90_f16_u4_g128_m64n128k256_s4_bulk_tma_pw_clusterk --dtype f16 --bits 4" \
  "28672 8192 64 sm90_f16_u4_g128_m64n128k256_s4_bulk_tma_pw_clusterk --dtype f16 --bits 4" > /dev/null
grep -E "^===|ERROR|Duration|DRAM Throughput|Issue Slots Busy|Executed Ipc Active|highest-utilized|Registers Per|Achieved Active Warps|pipe_tensor|stalled_(gmma|math|long|wait|not_selected|barrier|dispatch|sleeping|membar|branch)" \
  "$OUT/ncu.txt" | head -90
