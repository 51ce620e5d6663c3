#!/usr/bin/env bash
# v68: ldmatrix addresses from offsets computed once per tile (Sm80Gemm::a_fragment_offsets)
# instead of (chunk ^ row) per ldmatrix: 2-4% fewer K-loop instructions in the sm80 tiles
# (bench/sass_mix.py). The decode tiles are issue-bound on the H200 (v67), the 3-bit ones most.
# Two libraries of the 24 sm80 tiles with M <= 32, f16 3- and 4-bit group 128, built here:
# .carry/v68/old (HEAD before the change) and .carry/v68/new (xz). GPU tests on the new one, then every
# kernel of both timed at M = 1..32, and bench/compare.py (cuBLAS as the control).
# carry [".whl", ".carry/v68"].
set -uo pipefail
cd "$(dirname "$0")/../../../.."
export PYTHONPATH="$PWD:$PWD/python" PYTHONUNBUFFERED=1
python3 -m pip install -q --no-deps .whl/nvidia_cutlass-4.2.0.0-py3-none-any.whl > /dev/null 2>&1
W=/tmp/v68; mkdir -p $W; SECONDS=0
for lib in old new; do xz -dkf .carry/v68/$lib/libmixgemm.so.xz; done
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader | tee $OUT/gpu.txt
export MIXGEMM_LIBRARY=$PWD/.carry/v68/new/libmixgemm.so MIXGEMM_MANIFEST=$PWD/.carry/v68/new/manifest.json
timeout 150 python3 -m pytest -q -m gpu tests -k "kernel_matches_reference or exact_small or identity or padded or stream_k" > $W/gpu_tests.log 2>&1
echo "gpu tests (new) rc=$? $(tail -1 $W/gpu_tests.log) (${SECONDS}s)"
for lib in old new; do
  export MIXGEMM_LIBRARY=$PWD/.carry/v68/$lib/libmixgemm.so MIXGEMM_MANIFEST=$PWD/.carry/v68/$lib/manifest.json
  timeout 200 python3 -m mixgemm.bench --bits 3,4 --dtype f16 --group-size 128 --all-kernels \
    --m 1,4,8,16,32 --anchors none --out $W/bench_$lib > $W/bench_$lib.log 2>&1
  echo "bench $lib rc=$? (${SECONDS}s)"
  xz -T0 -c $W/bench_$lib/bench.csv > $OUT/bench_$lib.csv.xz
done
python3 bench/compare.py $W/bench_old/bench.csv $W/bench_new/bench.csv --m 1,4,8,16,32 | tee $OUT/compare.txt | tail -40
cp $W/gpu_tests.log $OUT/
