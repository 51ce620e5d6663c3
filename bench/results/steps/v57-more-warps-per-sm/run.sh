#!/usr/bin/env bash
# v57: more warps per SM at decode. The v56 profile (8B o_proj, M = 1, m8n32k128_s3_p8) shows
# the 8-row kernels bound by each warp's own instruction latency: 2 warps per scheduler, an
# issue every 5.4 cycles, SM active cycles = instructions per warp x 5.4. Candidates: 16
# one-warp pipes (half the K per warp, the same or more bytes in flight) and 256-deep slices
# with 8 pipes, against the tiles the heuristic picks at M <= 16 (f16, 3- and 4-bit, group 128).
# One device call, carry: [".whl"]. Builds there (16 cores), GPU tests, then every kernel timed.
set -uo pipefail
cd "$(dirname "$0")/../../../.."
export PYTHONPATH="$PWD:$PWD/python" PYTHONUNBUFFERED=1
python3 -m pip install -q --no-deps .whl/nvidia_cutlass-4.2.0.0-py3-none-any.whl > /dev/null 2>&1
W=${WORK:-/tmp/v57}; L=$W/lib; mkdir -p $W
TILES="sm80_m8n32k128_s3_p8_splitk sm80_m8n32k128_s4_p8_splitk sm80_m8n32k128_s4_p4_splitk
sm80_m8n64k256_s3_p4_splitk sm80_m8n64k128_s4_p2_splitk sm80_m8n32k256_s4_p4_splitk
sm80_m8n32k256_s3_p4_splitk sm80_m8n128k256_s3_streamk sm80_m16n32k128_s3_p8_splitk
sm80_m16n32k128_s4_p4_splitk sm80_m16n64k128_s3_p4_splitk sm80_m16n128k256_s3_streamk
sm80_m8n32k128_s2_p16_splitk sm80_m8n32k128_s3_p16_splitk sm80_m8n32k256_s2_p8_splitk
sm80_m8n32k256_s3_p8_splitk sm80_m16n32k128_s2_p16_splitk sm80_m16n32k256_s2_p8_splitk"
t0=$(date +%s)
bash bench/build_subset.sh $L "$TILES" || exit 1
echo "build $(( $(date +%s) - t0 )) s"
export MIXGEMM_LIBRARY=$L/libmixgemm.so MIXGEMM_MANIFEST=$L/manifest.json
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader | tee $W/gpu.txt
timeout 150 python3 -m pytest -q -m gpu tests -k "kernel_matches_reference or exact_small or identity or padded" \
  -x > $W/gpu_tests.log 2>&1; echo "gpu tests rc=$?"; tail -2 $W/gpu_tests.log
timeout 300 python3 -m mixgemm.bench --bits 3,4 --dtype f16 --group-size 128 --all-kernels \
  --m 1,4,8,16 --anchors none --out $W/bench > $W/bench.log 2>&1; echo "bench rc=$?"
python3 bench/cell_table.py $W/bench/bench.csv | tee $W/table.txt
xz -T0 -c $W/bench/bench.csv > $OUT/bench.csv.xz; cp $W/table.txt $W/gpu_tests.log $W/gpu.txt $OUT/
