#!/usr/bin/env bash
# v131 part 2 (session 26): SM clock and power of v124's timing probes (probe_power.py): which
# part of the decode loop draws the power. Four libraries (kProbe 0-3) of two tiles, fp16,
# 3/4-bit, g128. About 3 minutes. carry: [".whl"]
source "$(dirname "$0")/../../../device_env.sh"
S=bench/results/steps/v131-clocks-under-load
H=templates/include/mixgemm/sm80_gemm.cuh
{ patch -p1 < bench/results/steps/v124-decode-loop-decomposition/probe.diff ||
  git apply bench/results/steps/v124-decode-loop-decomposition/probe.diff; } > /dev/null || exit 1
W=$(mktemp -d)
for v in 0 1 2 3; do
  sed -i "s/static constexpr int kProbe = [0-9];/static constexpr int kProbe = $v;/" $H
  bash bench/build_subset.sh $W/p$v "sm80_m8n64k128_s4_p2_splitk sm80_m16n128k256_s3_streamk" \
    "3 4" f16 128 | tail -1
done
names=("loop" "no unpack" "no MMA" "no compute")
for v in 0 1 2 3; do
  MIXGEMM_LIBRARY=$W/p$v/libmixgemm.so MIXGEMM_MANIFEST=$W/p$v/manifest.json \
    timeout 100 python3 $S/probe_power.py "${names[$v]}" 2>&1 | tee -a "$OUT/probe_power.txt"
done
