#!/usr/bin/env bash
# v103 (prepared in session 22, not run): Nsight Compute stall profiles (bench/profile.sh) of
# the 70B o_proj decode pick at M = 1, fp16 4-bit, fp16 3-bit and bf16 4-bit, at the clocks a
# benchmark runs at. Session 22's reading is that ALU work per weight sets these kernels' time
# through the conversion of each arriving slice. The warp-state sections say whether the warps
# wait on the ALU pipe (math pipe throttle), on instruction issue, or on memory (long
# scoreboard). carry: [".whl"]
set -uo pipefail
source "$(dirname "$0")/../../../device_env.sh"  # repository root, PYTHONPATH, the carried wheel
L=build/v103
bash bench/build_subset.sh $L "sm80_m8n32k128_s3_p8_splitk" "3 4" "f16 bf16" "128" || exit 1
export MIXGEMM_LIBRARY=$L/libmixgemm.so MIXGEMM_MANIFEST=$L/manifest.json
NCU_ARGS="--clock-control none" bash bench/profile.sh \
  "8192 8192 1 sm80_f16_u4_g128_m8n32k128_s3_p8_splitk --dtype f16 --bits 4" \
  "8192 8192 1 sm80_f16_u3_g128_m8n32k128_s3_p8_splitk --dtype f16 --bits 3" \
  "8192 8192 1 sm80_bf16_u4_g128_m8n32k128_s3_p8_splitk --dtype bf16 --bits 4" > /dev/null
grep -E "^===|Duration|DRAM Throughput|Issue Slots Busy|Stall|stalled_(math|long|short|wait|not_selected|selected|barrier|mio|lg)" \
  "$OUT/ncu.txt" | head -80
