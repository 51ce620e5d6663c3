#!/usr/bin/env bash
# v67: why 3-bit decode kernels are barely faster than 4-bit ones on the H200 (target 4: 1.04x
# at M <= 16 on 70B, ideal 1.33x). Nsight Compute on the sm80 decode tiles the heuristic
# picks, 3- and 4-bit, 70B down_proj at M = 1 and 16 (issue activity, pipe use, stall reasons,
# executed instructions per opcode), and the M = 16 block timelines of the sm90 16-row tile and
# the sm80 one (NOTES session 15, "Next"). Libraries built here:
# carry [".whl", ".carry/dec", "build/timeline"].
set -uo pipefail
cd "$(dirname "$0")/../../../.."
export PYTHONPATH="$PWD:$PWD/python" PYTHONUNBUFFERED=1
python3 -m pip install -q --no-deps .whl/nvidia_cutlass-4.2.0.0-py3-none-any.whl > /dev/null 2>&1
W=/tmp/v67; mkdir -p $W; SECONDS=0
nvidia-smi --query-gpu=name,driver_version,clocks.max.sm --format=csv,noheader | tee $OUT/gpu.txt
python3 bench/timeline.py run --out $W/tl \
  "sm90_f16_u4_g128_m16n128k256_s4_bulk_tma_pw_streamk 8192 57344 16" \
  "sm80_f16_u4_g128_m16n128k256_s3_streamk 8192 57344 16" \
  "sm90_f16_u4_g128_m16n128k256_s4_bulk_tma_pw_streamk 28672 8192 16" \
  "sm80_f16_u4_g128_m16n128k256_s3_streamk 28672 8192 16" > $W/timeline.log 2>&1
echo "timeline rc=$? (${SECONDS}s)"; cat $W/tl/*.txt 2>/dev/null | head -80
export MIXGEMM_LIBRARY=$PWD/.carry/dec/libmixgemm.so MIXGEMM_MANIFEST=$PWD/.carry/dec/manifest.json
for prob in "28672 8192 1 sm80_f16_u3_g128_m8n64k256_s3_p4_splitk --bits 3" \
            "28672 8192 1 sm80_f16_u4_g128_m8n64k256_s3_p4_splitk --bits 4" \
            "28672 8192 16 sm80_f16_u3_g128_m16n128k256_s3_splitk --bits 3" \
            "28672 8192 16 sm80_f16_u4_g128_m16n128k256_s3_splitk --bits 4"; do
  name=$(echo $prob | awk '{print $3 "_" $4}')
  timeout 100 ncu -k regex:gemm_kernel --launch-skip 3 --launch-count 1 --clock-control none \
    --section SpeedOfLight --section WarpStateStats --section SchedulerStats --section SourceCounters \
    --section ComputeWorkloadAnalysis --section InstructionStats --section Occupancy --section MemoryWorkloadAnalysis \
    --metrics "regex:smsp__average_warps_issue_stalled_.*_per_issue_active\.ratio,sass__inst_executed_per_opcode,sm__inst_executed_pipe_alu.avg.pct_of_peak_sustained_active,sm__inst_executed_pipe_fma.avg.pct_of_peak_sustained_active,sm__inst_executed_pipe_fmaheavy.avg.pct_of_peak_sustained_active,sm__inst_executed_pipe_lsu.avg.pct_of_peak_sustained_active,sm__pipe_alu_cycles_active.avg.pct_of_peak_sustained_active,sm__pipe_fma_cycles_active.avg.pct_of_peak_sustained_active,sm__pipe_fmaheavy_cycles_active.avg.pct_of_peak_sustained_active,sm__pipe_tensor_op_hmma_cycles_active.avg.pct_of_peak_sustained_active" \
    -o $W/$name python3 bench/profile_one.py $prob > $W/ncu_$name.log 2>&1
  echo "== $name" >> $W/ncu.txt
  ncu --import $W/$name.ncu-rep >> $W/ncu.txt 2>&1
  ncu --import $W/$name.ncu-rep --page raw --csv 2>/dev/null | xz -T0 > $W/raw_$name.csv.xz
  ncu --import $W/$name.ncu-rep --page source --print-source sass --csv 2>/dev/null | xz -T0 > $W/src_$name.csv.xz
  echo "ncu $name (${SECONDS}s)"
done
grep -E "^==|Duration|SM Frequency|Memory Throughput|DRAM Throughput|Issue Slots Busy|Issued Warp|Eligible Warps|Active Warps Per|Achieved Occupancy|pipe_(alu|fma|fmaheavy|lsu)|hmma_cycles|stalled_(wait|long|short|math|barrier|not_sel|dispatch|mio|lg_thr|no_inst|selected)" $W/ncu.txt | head -150
tar czf $OUT/results.tgz -C $W timeline.log tl ncu.txt $(cd $W && ls raw_*.csv.xz src_*.csv.xz ncu_*.log)
