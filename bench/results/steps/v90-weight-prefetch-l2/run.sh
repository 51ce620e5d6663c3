#!/usr/bin/env bash
# v90: the GPU tests and compute-sanitizer on the check library of build_check.sh, then every
# kernel of the three libraries of build.sh (.carry/v90/pf{0,4,2}) timed on the 8 layers at
# M = 16..128, f16 4-bit g128. carry: [".carry/v90", "build/timeline"]
set -uo pipefail
cd "$(dirname "$0")/../../../.."
export PYTHONPATH="$PWD:$PWD/python" PYTHONUNBUFFERED=1
W=$(mktemp -d); V="pf0 pf4 pf2"; SECONDS=0
for v in $V; do gunzip -kf .carry/v90/$v/libmixgemm.so.gz; done
gunzip -kf .carry/v90/check/libmixgemm.so.gz
export MIXGEMM_LIBRARY=.carry/v90/check/libmixgemm.so MIXGEMM_MANIFEST=.carry/v90/check/manifest.json
timeout 150 python3 -m pytest -m gpu tests/test_gpu.py -q -rf -k "not programmatic" > $W/tests_check.log 2>&1
echo "tests (check library) rc=$? $(tail -1 $W/tests_check.log) (${SECONDS}s)"
timeout 100 compute-sanitizer --tool memcheck --error-exitcode 9 python3 tests/gpu_sanitize_sample.py > $W/sanitizer_check.log 2>&1
echo "compute-sanitizer (check library) rc=$? $(grep -c "^sm" $W/sanitizer_check.log) lines, $(tail -1 $W/sanitizer_check.log) (${SECONDS}s)"
unset MIXGEMM_LIBRARY MIXGEMM_MANIFEST
for v in $V; do
  [ $SECONDS -gt 400 ] && { V=${V% pf2}; break; }
  MIXGEMM_LIBRARY=.carry/v90/$v/libmixgemm.so MIXGEMM_MANIFEST=.carry/v90/$v/manifest.json \
    timeout 110 python3 -m mixgemm.bench --bits 4 --dtype f16 --group-size 128 --all-kernels \
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
print("per tile, geomean over layers and M of", " ".join(f"{v}/pf0" for v in V[1:]), "and of mc/no-mc (pf0):")
tiles = sorted({k[2] for k in t})
for tile in tiles:
    cells = [d for k, d in t.items() if k[2] == tile and len(d) == len(V)]
    line = f"{tile:44s} " + " ".join("%.3f" % g([d[v] / d["pf0"] for d in cells]) for v in V[1:])
    if "_mc" in tile:
        base = tile.replace("_mc2", "").replace("_mc4", "")
        r = [t[k]["pf0"] / t[(k[0], k[1], base)]["pf0"] for k in t if k[2] == tile and (k[0], k[1], base) in t]
        line += "  mc/base %.3f (%.3f-%.3f)" % (g(r), min(r), max(r))
    print(line)
print("best over all tiles per cell, pf4 vs pf0 / mc among them (pf0):")
for m in (16, 32, 64, 128):
    for shape in sorted({k[0] for k in t}):
        cell = {k[2]: d for k, d in t.items() if k[0] == shape and k[1] == m and "pf0" in d}
        if not cell: continue
        b0 = min((d["pf0"], k) for k, d in cell.items() if "_mc" not in k)
        bm = min((d["pf0"], k) for k, d in cell.items())
        b4 = min((d.get("pf4", 1e9), k) for k, d in cell.items() if "_mc" not in k)
        print(f"M={m:3d} {shape:24s} pf0 {b0[0]:7.2f} {b0[1][:28]:28s} +mc {bm[0]/b0[0]:.3f}  pf4 {b4[0]/b0[0]:.3f} {b4[1][:28]}")
PY
# Then, time allowing, v89's block timelines (carry build/timeline as well).
[ $SECONDS -lt 460 ] && [ -d build/timeline ] && bash bench/results/steps/v89-clusterk-timelines/run.sh
