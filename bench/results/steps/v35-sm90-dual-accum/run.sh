#!/usr/bin/env bash
# Two wgmma accumulator chains per warpgroup (even and odd k16 steps, summed after the K loop)
# against one: the same 7 sm90 TMA tiles (f16, 4-bit, group 128) built twice by build.sh, with
# -DMIXGEMM_SM90_ACCUM_CHAINS=1 (x1) and =2 (x2), libraries in .carry/ex/x{1,2}. GPU tests of
# both, then both timed over the 8 shapes at M = 32..256.
set -uo pipefail
cd "$(dirname "$0")/../../../.."
export PYTHONPATH="$PWD:$PWD/python" PYTHONUNBUFFERED=1
W=${WORK:-/tmp/v35}; mkdir -p $W
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | tee $W/gpu.txt
TESTS="kernel_matches_reference or exact_small or identity or padded"
for v in x1 x2; do
  gunzip -kf .carry/ex/$v/libmixgemm.so.gz
  MIXGEMM_LIBRARY=.carry/ex/$v/libmixgemm.so MIXGEMM_MANIFEST=.carry/ex/$v/manifest.json timeout 100 \
    python3 -m pytest -m gpu tests -q -k "$TESTS" 2>&1 | tail -15 > $W/pytest_$v.log; tail -2 $W/pytest_$v.log
done
for v in x1 x2; do
  MIXGEMM_LIBRARY=.carry/ex/$v/libmixgemm.so MIXGEMM_MANIFEST=.carry/ex/$v/manifest.json timeout 150 \
    python3 -m mixgemm.bench --bits 4 --dtype f16 --group-size 128 --all-kernels --kernels 'sm90_*' \
    --m 32,64,128,256 --anchors none --out $W/$v > $W/$v.log 2>&1; echo "$v bench rc=$?"
done
python3 - "$W" <<'PY'
import csv, math, sys
W = sys.argv[1]
t = {}
for v in ("x1", "x2"):
    for r in csv.DictReader(open(f"{W}/{v}/bench.csv")):
        if r["error"] or not r["kernel"].startswith("sm90_"): continue
        t.setdefault((int(r["M"]), r["kernel"].split("_g128_")[1]), {}).setdefault(v, {})[r["shape"]] = float(r["mixgemm_us"])
g = lambda xs: math.exp(sum(map(math.log, xs)) / len(xs))
print("M tile: x1 us / x2 us on 70b gate_up | x1/x2 (geomean over shapes)")
for k, d in sorted(t.items()):
    a = d.get("x1", {}); b = d.get("x2", {})
    sp = g([a[s] / b[s] for s in a if s in b]) if a and b else float("nan")
    s = "llama3-70b_gate_up_proj"
    print(*k, "%.1f / %.1f" % (a.get(s, 0), b.get(s, 0)), "%.3f" % sp)
PY
tar czf $OUT/v35.tgz -C $W .
