#!/usr/bin/env bash
# v92, second call: the README's benchmark command on the full library that run.sh built in
# build/ (same machine, still warm), then the heuristic's kernels with MIXGEMM_PDL=1 (f16).
cd "$(dirname "$0")/../../../.." || exit 1
export PYTHONPATH="$PWD:$PWD/python" PYTHONUNBUFFERED=1
[ -f build/libmixgemm.so ] || { echo "no build/libmixgemm.so: run run.sh first"; exit 1; }
python3 -m pip install -q --no-deps .whl/nvidia_cutlass-*.whl > /dev/null 2>&1
gpu=$(nvidia-smi --query-gpu=name --format=csv,noheader | head -1 | tr 'A-Z ' 'a-z-')
W=$(mktemp -d); SECONDS=0
timeout 300 python3 -m mixgemm.bench --bits 4,3 --dtype f16,bf16 --out $W/$gpu > $W/bench.log 2>&1
echo "bench rc=$? (${SECONDS}s)"; grep -E "^\| (f16|bf16) int4" $W/$gpu/summary.md
MIXGEMM_PDL=1 timeout 200 python3 -m mixgemm.bench --bits 4,3 --dtype f16 --out $W/$gpu-pdl \
  > $W/bench_pdl.log 2>&1
echo "bench pdl rc=$? (${SECONDS}s)"; grep -E "^\| f16 int4" $W/$gpu-pdl/summary.md
cp $W/*.log "$OUT/"; tar czf "$OUT/results.tgz" -C $W $gpu $gpu-pdl
