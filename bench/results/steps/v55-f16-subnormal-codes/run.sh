#!/usr/bin/env bash
# v55 on the GPU machine (carry: [".carry/raw", ".carry/base"]): GPU tests and the sanitizer
# sample of the subnormal-code kernels, then both libraries timed at M = 1, 4, 8 on the 8 shapes.
set -uo pipefail
cd "$(dirname "$0")/../../../.."
export PYTHONPATH="$PWD:$PWD/python" PYTHONUNBUFFERED=1
W=${WORK:-/tmp/v55}; mkdir -p $W
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader | tee $W/gpu.txt
lib() { export MIXGEMM_LIBRARY=$PWD/.carry/$1/libmixgemm.so MIXGEMM_MANIFEST=$PWD/.carry/$1/manifest.json; }
lib raw
timeout 150 python3 -m pytest -q -m gpu tests > $W/gpu_tests.log 2>&1; echo "gpu tests rc=$?"; tail -1 $W/gpu_tests.log
timeout 60 compute-sanitizer --tool memcheck --error-exitcode 9 python3 tests/gpu_sanitize_sample.py \
  > $W/sanitizer.log 2>&1; echo "sanitizer rc=$?"; tail -1 $W/sanitizer.log
for v in raw base; do
  lib $v
  timeout 100 python3 -m mixgemm.bench --bits 4 --dtype f16 --group-size 128 --all-kernels \
    --m 1,4,8 --anchors none --out $W/bench_$v > $W/bench_$v.log 2>&1; echo "bench $v rc=$?"
done
python3 - "$W" <<'PY'
import csv, sys, math, collections
def load(v):
    t = {}
    for r in csv.DictReader(open(f"{sys.argv[1]}/bench_{v}/bench.csv")):
        if r["error"] or r["heuristic"] != "True": continue
        t[(r["shape"], int(r["M"]))] = (float(r["mixgemm_us"]), float(r["cublas_us"]), r["kernel"][17:])
    return t
raw, base = load("raw"), load("base")
logs = []
for k in sorted(base):
    if k in raw:
        x = raw[k][0] / base[k][0]; logs.append(math.log(x))
        print(f"{k[0][7:]:16s} M={k[1]} {base[k][2]:24s} base {base[k][0]:6.1f} raw {raw[k][0]:6.1f} "
              f"ratio {x:.3f} (cublas {raw[k][1] / base[k][1]:.3f})")
print(f"geomean raw/base {math.exp(sum(logs) / len(logs)):.3f}")
PY
tar czf $OUT/v55.tgz -C $W .
