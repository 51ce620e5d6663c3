#!/usr/bin/env bash
# v118 (session 25): Nsight Compute profiles of why a 16-row decode tile costs 6-22% more than
# the 8-row tile of the same width at the same bytes (70B gate_up, M = 1: v93), and what the
# sm90 16-row tile (wgmma n16, v117) waits on at M = 16. fp16, group 128, 3- and 4-bit. About
# 3 minutes. carry: [".whl"]
set -uo pipefail
source "$(dirname "$0")/../../../device_env.sh"  # repository root, PYTHONPATH, the carried wheel
L=build/v118
use_subset_library $L "sm80_m8n128k256_s3_streamk sm80_m16n128k256_s3_streamk sm90_m16n256k256_s4_bulk_tma_pw_streamk" \
  "3 4" "f16" "128" || exit 1
P=()
for b in 4 3; do
  P+=("8192 57344 1 sm80_f16_u${b}_g128_m8n128k256_s3_streamk --dtype f16 --bits $b"
      "8192 57344 1 sm80_f16_u${b}_g128_m16n128k256_s3_streamk --dtype f16 --bits $b"
      "8192 57344 16 sm80_f16_u${b}_g128_m16n128k256_s3_streamk --dtype f16 --bits $b"
      "8192 57344 16 sm90_f16_u${b}_g128_m16n256k256_s4_bulk_tma_pw_streamk --dtype f16 --bits $b")
done
NCU_ARGS="--clock-control none --section ComputeWorkloadAnalysis" bash bench/profile.sh "${P[@]}" > /dev/null
xz -k -T0 "$OUT/ncu.txt"
grep -E "^===|Duration|DRAM Throughput|Issue Slots Busy|Executed Ipc Active|highest-utilized|pipeline|Registers Per|Achieved Active Warps|Executed Instructions  |stalled_(math|long|short|wait|not_selected|barrier|mio|dispatch|lg_throttle|tex)" \
  "$OUT/ncu.txt" | head -150
