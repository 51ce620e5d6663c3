#!/usr/bin/env bash
# v121 (session 25): where the memory system's time goes for cuBLAS fp16 and for our decode
# kernels at M = 1 on the two largest layers. cuBLAS streams its weights at 4.3-4.5 TB/s
# there, our 4-bit picks at 3.75 TB/s (bench/results/nvidia-h200). Nsight Compute, benchmark
# clocks, with the L2 and DRAM throughput breakdowns. About 2 minutes. carry: [".whl"]
set -uo pipefail
source "$(dirname "$0")/../../../device_env.sh"  # repository root, PYTHONPATH, the carried wheel
L=build/v121
use_subset_library $L "sm80_m8n64k128_s4_p2_splitk sm80_m8n128k256_s3_streamk sm80_m4n32k256_s2_p8_splitk" \
  "3 4" "f16" "128" || exit 1
METRICS="breakdown:lts__throughput.avg.pct_of_peak_sustained_elapsed,breakdown:dram__throughput.avg.pct_of_peak_sustained_elapsed"
METRICS+=",dram__bytes_read.sum,dram__bytes_write.sum,lts__t_sectors.sum,lts__t_sectors_srcunit_tex.sum"
METRICS+=",lts__t_sectors_srcunit_ltcfabric.sum,lts__t_requests_srcunit_tex.sum,sm__cycles_elapsed.avg.per_second"
for problem in "8192 57344 1 --cublas" "8192 57344 1 sm80_f16_u4_g128_m8n64k128_s4_p2_splitk" \
    "8192 57344 1 sm80_f16_u4_g128_m8n128k256_s3_streamk" \
    "8192 57344 1 sm80_f16_u3_g128_m8n128k256_s3_streamk --bits 3" \
    "28672 8192 1 --cublas" "28672 8192 1 sm80_f16_u4_g128_m4n32k256_s2_p8_splitk" \
    "28672 8192 1 sm80_f16_u3_g128_m4n32k256_s2_p8_splitk --bits 3"; do
  echo "=== $problem" >> "$OUT/ncu.txt"
  # shellcheck disable=SC2086
  ncu --nvtx --nvtx-include "profiled/" --clock-control none --section SpeedOfLight \
    --section MemoryWorkloadAnalysis --section MemoryWorkloadAnalysis_Tables --metrics "$METRICS" \
    python3 bench/profile_one.py $problem 2>&1 | grep -v "^==PROF==" >> "$OUT/ncu.txt"
done
xz -k -T0 "$OUT/ncu.txt"
grep -E "^===|^  [a-zA-Z_].*\(|Duration|DRAM Throughput|L2 Cache Throughput|lts__|dram__|sm__cycles" "$OUT/ncu.txt" | head -230
