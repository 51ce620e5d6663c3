#!/usr/bin/env bash
# v64: eight wgmma in flight per warpgroup in the sm90 tiles (four now). A wgmma of
# m64n16k16 is 8 tensor cycles of work against a latency of many more: with four in flight a
# warpgroup may wait on the oldest more than the tensor pipe needs. The pending steps keep
# their 4 fragment registers each, which the small tiles' 8-16 accumulators leave room for.
# One library per depth (4: as committed; 8), built here with every core: the sm90 tiles
# of 16 and 32 rows, two 64-row ones and, as the control that does not change, the sm80
# 16-row tiles the heuristic picks at M = 16. f16 3- and 4-bit group 128, M = 16, 32 and 64,
# every kernel timed. Then Nsight Compute with the source page (stall samples per SASS
# instruction) on the depth-4 library: 70B gate_up at M = 64 (64x256 tiles) and M = 16
# (the 16-row sm90 tile and the sm80 one the heuristic picks).
# One device call, carry: [".whl"].
set -uo pipefail
cd "$(dirname "$0")/../../../.."
export PYTHONPATH="$PWD:$PWD/python" PYTHONUNBUFFERED=1
python3 -m pip install -q --no-deps .whl/nvidia_cutlass-4.2.0.0-py3-none-any.whl > /dev/null 2>&1
W=/tmp/v64; mkdir -p $W
H=templates/include/mixgemm/sm90_gemm.cuh
TILES="sm90_m16n128k256_s4_bulk_tma_pw_streamk sm90_m16n128k256_s4_bulk_tma_splitk
sm90_m32n256k256_s4_bulk_tma_pw_streamk sm90_m32n256k256_s4_bulk_tma_splitk
sm90_m32n256k128_s4_bulk_tma_pw_streamk sm90_m64n256k128_s4_bulk_tma_pw_streamk
sm90_m64n256k256_s3_bulk_tma_pw_streamk sm80_m16n128k256_s3_streamk sm80_m16n64k128_s3_p4_splitk
sm80_m16n32k128_s4_p4_splitk"
SECONDS=0
for d in 4 8; do  # one after the other: each build reads the header as sed left it
  sed -i "s/static constexpr int kWgmmaInFlight = [0-9]*;/static constexpr int kWgmmaInFlight = $d;/" $H
  bash bench/build_subset.sh $W/lib$d "$TILES" "3 4" || exit 1
done
echo "built (${SECONDS}s)"
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader | tee $OUT/gpu.txt
for d in 4 8; do
  export MIXGEMM_LIBRARY=$W/lib$d/libmixgemm.so MIXGEMM_MANIFEST=$W/lib$d/manifest.json
  if [ $d = 8 ]; then
    timeout 100 python3 -m pytest -q -m gpu tests -k "kernel_matches_reference or exact_small or identity or padded or stream_k" \
      > $W/gpu_tests_d8.log 2>&1; echo "gpu tests (depth 8) rc=$? $(tail -1 $W/gpu_tests_d8.log)"
  fi
  timeout 120 python3 -m mixgemm.bench --bits 3,4 --dtype f16 --group-size 128 --all-kernels \
    --m 16,32,64 --anchors none --out $W/bench$d > $W/bench$d.log 2>&1; echo "bench depth $d rc=$? (${SECONDS}s)"
  xz -T0 -c $W/bench$d/bench.csv > $OUT/bench_depth$d.csv.xz
done
python3 bench/compare.py $W/bench4/bench.csv $W/bench8/bench.csv --m 16,32,64 | tee $OUT/compare.txt
python3 bench/cell_table.py $W/bench8/bench.csv > $OUT/cells_depth8.txt
export MIXGEMM_LIBRARY=$W/lib4/libmixgemm.so MIXGEMM_MANIFEST=$W/lib4/manifest.json
for prob in "8192 57344 64 sm90_f16_u4_g128_m64n256k128_s4_bulk_tma_pw_streamk" \
            "8192 57344 64 sm90_f16_u4_g128_m64n256k256_s3_bulk_tma_pw_streamk" \
            "8192 57344 16 sm90_f16_u4_g128_m16n128k256_s4_bulk_tma_pw_streamk" \
            "8192 57344 16 sm80_f16_u4_g128_m16n128k256_s3_streamk"; do
  name=$(echo $prob | awk '{print $3 "_" $4}')
  timeout 90 ncu -k regex:gemm_kernel --launch-skip 3 --launch-count 1 --clock-control none \
    --section SpeedOfLight --section WarpStateStats --section SchedulerStats --section SourceCounters \
    --section ComputeWorkloadAnalysis --metrics "regex:smsp__average_warps_issue_stalled_.*_per_issue_active\.ratio,sm__pipe_tensor_op_gmma_cycles_active.avg.pct_of_peak_sustained_active,sm__pipe_tensor_op_hmma_cycles_active.avg.pct_of_peak_sustained_active,l1tex__data_pipe_lsu_wavefronts_mem_shared.avg.pct_of_peak_sustained_elapsed" \
    -o $W/$name python3 bench/profile_one.py $prob > $W/ncu_$name.log 2>&1
  ncu --import $W/$name.ncu-rep >> $W/ncu.txt 2>&1
  ncu --import $W/$name.ncu-rep --page source --print-source sass --csv 2>/dev/null | xz -T0 > $W/src_$name.csv.xz
  echo "ncu $name (${SECONDS}s)"
done
grep -E "^=|Duration|Throughput|gmma|hmma|wavefronts|Issued Warp|Eligible|stalled_(gmma|wait|dispatch|math|long|barrier|not_sel)" $W/ncu.txt | head -120
tar czf $OUT/results.tgz -C $W gpu_tests_d8.log bench4.log bench8.log ncu.txt $(cd $W && ls src_*.csv.xz)
