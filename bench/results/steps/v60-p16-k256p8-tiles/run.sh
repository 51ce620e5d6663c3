#!/usr/bin/env bash
# v60: the two decode tiles v57 adds to the catalog (8x32x128, 2 stages, 16 one-warp pipes;
# 8x32x256, 2 stages, 8 pipes): GPU tests and the sanitizer sample at every group size, f16
# and bf16, 3- and 4-bit, then every sm80 decode tile timed on the layer they win (8B down,
# K = 14336, N = 4096) at M = 1..16, f16 and bf16, for codegen.tune. One device call, carry:
# [".whl"]; builds its 112 kernels there.
set -uo pipefail
cd "$(dirname "$0")/../../../.."
export PYTHONPATH="$PWD:$PWD/python" PYTHONUNBUFFERED=1
python3 -m pip install -q --no-deps .whl/nvidia_cutlass-4.2.0.0-py3-none-any.whl > /dev/null 2>&1
t0=$SECONDS
python3 -m codegen.cli emit --arch sm80 --bits 3,4 --targets sm_90 \
  --name '*_m8n32k128_s2_p16_splitk' --name '*_m8n32k256_s2_p8_splitk' \
  --name 'sm80_*_g128_m8n*' --name 'sm80_*_g128_m16n*' > /tmp/emit.log &&
  python3 -m codegen.cli build -j 16 > /tmp/build.log 2>&1 || { tail -20 /tmp/build.log; exit 1; }
echo "emit + build: $(tail -1 /tmp/emit.log) in $((SECONDS - t0)) s; spills: $(grep -c spill /tmp/build.log)"
W=/tmp/v60; mkdir -p $W
BUILD=0 BENCH=0 WORK=$W/check OUT=$W bash bench/gpu_check.sh > $W/check.log 2>&1
tail -8 $W/check.log
printf 'model,layer,K,N\nllama3-8b,down_proj,14336,4096\n' > $W/shapes.csv
timeout 240 python3 -m mixgemm.bench --shapes $W/shapes.csv --bits 3,4 --dtype f16,bf16 \
  --group-size 128 --all-kernels --m 1,4,8,16 --anchors none --out $W/bench > $W/bench.log 2>&1
echo "bench rc=$?"
python3 bench/cell_table.py $W/bench/bench.csv | tee $OUT/table.txt | tail -20
cp $W/bench/bench.csv $W/check.log $OUT/; cp -r $W/check/logs $OUT/
