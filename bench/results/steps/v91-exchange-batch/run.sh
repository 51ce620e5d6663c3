#!/usr/bin/env bash
# v91: GPU tests and compute-sanitizer on the check library of build.sh and the GPU tests on
# the batch-4 library, then the three libraries (.carry/v91/b{1,2,4}) timed on the 8 layers at
# M = 16..128, f16 4-bit g128. carry: [".carry/v91"]
set -uo pipefail
cd "$(dirname "$0")/../../../.."
export PYTHONPATH="$PWD:$PWD/python" PYTHONUNBUFFERED=1
W=$(mktemp -d); V="b1 b2 b4"; SECONDS=0
for v in $V check; do gunzip -kf .carry/v91/$v/libmixgemm.so.gz; done
for v in check b4; do
  MIXGEMM_LIBRARY=.carry/v91/$v/libmixgemm.so MIXGEMM_MANIFEST=.carry/v91/$v/manifest.json \
    timeout 120 python3 -m pytest -m gpu tests/test_gpu.py -q -rf -k "not programmatic" > $W/tests_$v.log 2>&1
  echo "tests $v rc=$? $(tail -1 $W/tests_$v.log) (${SECONDS}s)"
done
MIXGEMM_LIBRARY=.carry/v91/check/libmixgemm.so MIXGEMM_MANIFEST=.carry/v91/check/manifest.json \
  timeout 100 compute-sanitizer --tool memcheck --error-exitcode 9 python3 tests/gpu_sanitize_sample.py > $W/sanitizer_check.log 2>&1
echo "compute-sanitizer rc=$? $(tail -1 $W/sanitizer_check.log) (${SECONDS}s)"
for v in $V; do
  MIXGEMM_LIBRARY=.carry/v91/$v/libmixgemm.so MIXGEMM_MANIFEST=.carry/v91/$v/manifest.json \
    timeout 100 python3 -m mixgemm.bench --bits 4 --dtype f16 --group-size 128 --all-kernels \
    --m 16,32,64,128 --anchors none --out $W/$v > $W/$v.log 2>&1
  echo "bench $v rc=$? (${SECONDS}s)"
  xz -T0 -c $W/$v/bench.csv > "$OUT/bench_$v.csv.xz"
done
cp $W/*.log "$OUT/"
python3 - "$W" $V <<'PY'
import csv, math, sys
from collections import defaultdict
W, V = sys.argv[1], sys.argv[2:]
t = defaultdict(dict)
for v in V:
    for r in csv.DictReader(open(f"{W}/{v}/bench.csv")):
        if r["error"] or not r["kernel"].startswith("sm90_"): continue
        t[(r["shape"], int(r["M"]), r["kernel"].split("_g128_")[1])][v] = float(r["mixgemm_us"])
g = lambda a: math.exp(sum(map(math.log, a)) / len(a)) if a else float("nan")
print("per tile, geomean (min-max) over layers and M of", " ".join(f"{v}/b1" for v in V[1:]))
for tile in sorted({k[2] for k in t}):
    cells = [d for k, d in t.items() if k[2] == tile and len(d) == len(V)]
    print(f"{tile:40s}", " ".join("%.3f (%.3f-%.3f)" % (g([d[v] / d["b1"] for d in cells]),
          min(d[v] / d["b1"] for d in cells), max(d[v] / d["b1"] for d in cells)) for v in V[1:]))
print("best tile per cell: b2/b1 b4/b1")
for m in (16, 32, 64, 128):
    r2 = []; r4 = []
    for shape in sorted({k[0] for k in t}):
        cell = [d for k, d in t.items() if k[0] == shape and k[1] == m and len(d) == len(V)]
        if not cell: continue
        b = {v: min(d[v] for d in cell) for v in V}
        r2.append(b["b2"] / b["b1"]); r4.append(b["b4"] / b["b1"])
        print(f"M={m:3d} {shape:24s} b1 {b['b1']:7.2f}  b2 {b['b2']/b['b1']:.3f}  b4 {b['b4']/b['b1']:.3f}")
    print(f"M={m:3d} geomean b2 {g(r2):.3f} b4 {g(r4):.3f}")
PY
