#!/usr/bin/env bash
# v61: more wgmma in flight per warpgroup in the sm90 loop (Sm90Gemm::kWgmmaInFlight). The
# loop waited after every step until at most one wgmma was pending (DEPBAR.LE gsb0, 1), so
# each k16 step paid a wgmma's latency whenever the next step's unpack was shorter: ncu
# showed 1.30 wgmma-wait stalls per issue at 16 rows (v59) and 1.71 at 64 rows (v44). One
# library per depth (2: the code as it was; 4), same kernels: the sm90 tiles the heuristic
# picks at M = 32..256 and the 16-row ones, f16 4-bit group 128, all 8 shapes, M = 16..256.
# One device call, carry: [".whl"].
set -uo pipefail
cd "$(dirname "$0")/../../../.."
export PYTHONPATH="$PWD:$PWD/python" PYTHONUNBUFFERED=1
python3 -m pip install -q --no-deps .whl/nvidia_cutlass-4.2.0.0-py3-none-any.whl > /dev/null 2>&1
W=/tmp/v61; mkdir -p $W
H=templates/include/mixgemm/sm90_gemm.cuh
TILES="sm90_m16n128k256_s4_bulk_tma_pw_streamk sm90_m32n256k256_s4_bulk_tma_splitk
sm90_m32n256k256_s4_bulk_tma_pw_streamk sm90_m64n256k256_s3_bulk_tma_pw_streamk
sm90_m64n192k128_s4_bulk_tma_pw_streamk sm90_m128n192k128_s4_bulk_tma_pw_streamk
sm90_m128n128k128_s4_bulk_tma_pw_streamk"
for d in 2 4; do  # one after the other: each build reads the header as sed left it
  sed -i "s/static constexpr int kWgmmaInFlight = [0-9]*;/static constexpr int kWgmmaInFlight = $d;/" $H
  bash bench/build_subset.sh $W/lib$d "$TILES" 4 || exit 1
done
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader | tee $OUT/gpu.txt
for d in 2 4; do
  export MIXGEMM_LIBRARY=$W/lib$d/libmixgemm.so MIXGEMM_MANIFEST=$W/lib$d/manifest.json
  if [ $d = 4 ]; then
    timeout 100 python3 -m pytest -q -m gpu tests -k "kernel_matches_reference or exact_small or identity or padded or stream_k" \
      > $OUT/gpu_tests_d4.log 2>&1; echo "gpu tests (depth 4) rc=$?"; tail -1 $OUT/gpu_tests_d4.log
  fi
  timeout 150 python3 -m mixgemm.bench --bits 4 --dtype f16 --group-size 128 --all-kernels \
    --m 16,32,64,128,256 --anchors none --out $W/bench$d > $W/bench$d.log 2>&1; echo "bench depth $d rc=$?"
  xz -T0 -c $W/bench$d/bench.csv > $OUT/bench_depth$d.csv.xz
done
python3 bench/results/steps/v61-sm90-wgmma-in-flight/compare.py $W/bench2/bench.csv $W/bench4/bench.csv | tee $OUT/compare.txt
