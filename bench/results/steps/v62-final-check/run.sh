#!/usr/bin/env bash
# v62: the library as committed at the end of session 14 (688 kernels, built on the CPU
# machine for sm_90 and carried), on the GPU machine: every GPU test, the C example and the
# compute-sanitizer sample (bench/gpu_check.sh, BUILD=0 BENCH=0), then the README's benchmark
# command (f16 and bf16, the heuristic's kernels) and the same with MIXGEMM_PDL=1 (f16). Then,
# while time is left, 16-row sm90 tiles against the sm80 ones at M = 16 (built there).
# carry: [".carry/libmixgemm.so.xz", ".carry/include", "generated/manifest.json",
#         "generated/include", ".whl"]  (run 1 lacked the two generated/ paths: the GPU tests
#         found no manifest; run 2 repeats the checks and the PDL benchmark with them)
# RUN=2: the checks and the PDL benchmark only.
set -uo pipefail
cd "$(dirname "$0")/../../../.."
export PYTHONPATH="$PWD:$PWD/python" PYTHONUNBUFFERED=1
python3 -m pip install -q --no-deps .whl/nvidia_cutlass-4.2.0.0-py3-none-any.whl > /dev/null 2>&1
mkdir -p build && python3 -c "import lzma,shutil;shutil.copyfileobj(lzma.open('.carry/libmixgemm.so.xz'),open('build/libmixgemm.so','wb'))" &&
  chmod +x build/libmixgemm.so && rm -rf build/include && cp -r .carry/include build/ || exit 1
W=/tmp/v62; mkdir -p $W
BUILD=0 BENCH=0 WORK=$W/check OUT=$W bash bench/gpu_check.sh > $W/check.log 2>&1
tail -7 $W/check.log; mkdir -p $OUT/logs; cp $W/check/logs/*.log $W/check.log $OUT/logs/
if [ "${RUN:-1}" = 1 ]; then
timeout 150 python3 -m mixgemm.bench --bits 4,3 --dtype f16,bf16 --out $W/nvidia-h200 > $W/bench.log 2>&1
echo "bench rc=$?"; cp $W/bench.log $OUT/logs/
grep -E "^\| (f16|bf16) int4" $W/nvidia-h200/summary.md
fi
MIXGEMM_PDL=1 timeout 100 python3 -m mixgemm.bench --bits 4,3 --dtype f16 --out $W/nvidia-h200-pdl > $W/bench_pdl.log 2>&1
echo "bench pdl rc=$?"
grep -E "^\| f16 int4" $W/nvidia-h200-pdl/summary.md
tar czf $OUT/results.tgz -C $W nvidia-h200-pdl check/logs $([ -d $W/nvidia-h200 ] && echo nvidia-h200)
[ "${RUN:-1}" = 1 ] || exit 0
# The 16-row experiment.
L=$W/lib16
bash bench/build_subset.sh $L "sm90_m16n128k256_s4_bulk_tma_pw_streamk sm90_m16n256k256_s4_bulk_tma_pw_streamk
sm90_m16n192k256_s4_bulk_tma_pw_streamk sm90_m16n64k256_s4_bulk_tma_pw_streamk
sm90_m16n128k256_s4_bulk_tma_splitk sm80_m16n128k256_s3_streamk sm80_m16n64k128_s3_p4_splitk
sm80_m16n32k128_s4_p4_splitk sm80_m16n32k128_s3_p8_splitk" || exit 1
MIXGEMM_LIBRARY=$L/libmixgemm.so MIXGEMM_MANIFEST=$L/manifest.json timeout 120 python3 -m mixgemm.bench \
  --bits 3,4 --dtype f16 --group-size 128 --all-kernels --m 16 --anchors none --out $W/m16 > $W/m16.log 2>&1
echo "m16 rc=$?"; xz -c $W/m16/bench.csv > $OUT/m16_bench.csv.xz
python3 bench/cell_table.py $W/m16/bench.csv | tee $OUT/m16_table.txt
