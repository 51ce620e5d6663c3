#!/usr/bin/env bash
# v84: the README's benchmark command with the table re-tuned on v80-v82 (session 18). The
# library holds every tile the table names (tiles.txt), 3/4 bits, f16/bf16, group 128, built
# on the GPU machine (16 cores) by bench/build_subset.sh; then the README command (f16 and
# bf16, the heuristic's kernels) and the same with MIXGEMM_PDL=1 (f16).
# carry: [".whl"]
set -uo pipefail
cd "$(dirname "$0")/../../../.."
export PYTHONPATH="$PWD:$PWD/python" PYTHONUNBUFFERED=1
python3 -m pip install -q --no-deps .whl/nvidia_cutlass-*.whl > /dev/null 2>&1
W=/tmp/v84; mkdir -p $W; SECONDS=0
bash bench/build_subset.sh $W/lib "$(cat bench/results/steps/v84-readme-bench/tiles.txt)" "3 4" "f16 bf16" "128" || exit 1
echo "built (${SECONDS}s)"
export MIXGEMM_LIBRARY=$W/lib/libmixgemm.so MIXGEMM_MANIFEST=$W/lib/manifest.json
timeout 60 python3 -m pytest -m gpu tests/test_gpu.py -q -rf -k "heuristic_default or split_kernels or graph" > $W/tests.log 2>&1
echo "tests rc=$? (${SECONDS}s)"; tail -1 $W/tests.log
timeout 170 python3 -m mixgemm.bench --bits 4,3 --dtype f16,bf16 --out $W/nvidia-h200 > $W/bench.log 2>&1
echo "bench rc=$? (${SECONDS}s)"; grep -E "^\| (f16|bf16) int4" $W/nvidia-h200/summary.md
MIXGEMM_PDL=1 timeout 110 python3 -m mixgemm.bench --bits 4,3 --dtype f16 --out $W/nvidia-h200-pdl > $W/bench_pdl.log 2>&1
echo "bench pdl rc=$? (${SECONDS}s)"; grep -E "^\| f16 int4" $W/nvidia-h200-pdl/summary.md
cp $W/*.log $OUT/; tar czf $OUT/results.tgz -C $W nvidia-h200 nvidia-h200-pdl
