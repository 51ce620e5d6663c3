#!/usr/bin/env bash
# v59: M = 16. There the heuristic's sm80 16-row kernels take 1.17-1.28x the 8-row kernels'
# time at M = 8 on the same layers (70B down 41 vs 32.5 us, H200, v57) although both stream the
# same weight bytes. At 4 bits, M = 16 needs about 60% of mma.sync's peak on an H200 (1024 FMA
# per clock and SM, half of wgmma's) to keep pace with DRAM, at 3 bits 80%: the tensor pipe,
# not the issue slots, would be the wall (sass_mix: the 16x128x256 loop has only 2 instructions
# per word more than the 8-row one). wgmma has twice the rate; its 16-row tiles lost with
# 128-deep slices (v44: the per-slice overhead), so here with 256-deep ones (v48).
# 1. Every kernel timed at M = 8, 16 (f16, 3-/4-bit, group 128); 2. Nsight Compute (tensor pipe,
# issue slots, stalls) on the 16-row kernels. One device call, carry: [".whl"].
set -uo pipefail
cd "$(dirname "$0")/../../../.."
export PYTHONPATH="$PWD:$PWD/python" PYTHONUNBUFFERED=1
python3 -m pip install -q --no-deps .whl/nvidia_cutlass-4.2.0.0-py3-none-any.whl > /dev/null 2>&1
W=/tmp/v59; L=$W/lib; mkdir -p $W
bash bench/build_subset.sh $L "sm80_m16n64k128_s3_p4_splitk sm80_m16n128k256_s3_streamk
sm80_m8n64k256_s3_p4_splitk sm80_m16n32k128_s4_p4_splitk sm80_m16n32k128_s3_p8_splitk
sm90_m16n256k256_s4_bulk_tma_splitk sm90_m16n256k256_s4_bulk_tma_pw_streamk
sm90_m16n128k256_s4_bulk_tma_pw_streamk sm90_m16n128k256_s4_bulk_tma_splitk
sm90_m16n256k128_s4_bulk_tma_splitk sm90_m32n256k256_s4_bulk_tma_splitk" || exit 1
export MIXGEMM_LIBRARY=$L/libmixgemm.so MIXGEMM_MANIFEST=$L/manifest.json OUT
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader | tee $OUT/gpu.txt
timeout 200 python3 -m mixgemm.bench --bits 3,4 --dtype f16 --group-size 128 --all-kernels \
  --m 8,16 --anchors none --out $W/bench > $W/bench.log 2>&1; echo "bench rc=$?"
python3 bench/cell_table.py $W/bench/bench.csv | tee $OUT/table.txt
xz -T0 -c $W/bench/bench.csv > $OUT/bench.csv.xz
K=sm80_f16_u4_g128; K3=sm80_f16_u3_g128; H=sm90_f16_u4_g128
NCU_ARGS="--clock-control none" NCU_METRICS="sm__pipe_tensor_op_hmma_cycles_active.avg.pct_of_peak_sustained_active,sm__pipe_tensor_op_gmma_cycles_active.avg.pct_of_peak_sustained_active,smsp__issue_active.avg.pct_of_peak_sustained_active,smsp__inst_executed.sum" \
  timeout 200 bash bench/profile.sh "28672 8192 16 ${K}_m16n64k128_s3_p4_splitk" "28672 8192 16 ${K}_m16n128k256_s3_streamk" \
  "28672 8192 8 ${K}_m8n64k256_s3_p4_splitk" "28672 8192 16 ${K3}_m16n128k256_s3_streamk --bits 3" \
  "28672 8192 16 ${H}_m16n256k256_s4_bulk_tma_splitk" > /dev/null 2>&1
grep -E "^===|kernel:|Duration|DRAM Throughput|Achieved Occupancy|Registers Per|hmma|gmma|issue_active|inst_executed.sum|stalled_(long_scoreboard|barrier|wait|math|short|mio|not_selected|dispatch|gmma)" \
  "$OUT/ncu.txt" | sed 's/smsp__average_warps_issue_stalled_//; s/_per_issue_active.ratio//' | head -120
