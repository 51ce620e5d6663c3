#!/usr/bin/env bash
# Stream-K finisher with two partial-sum slots in flight (64-row sm90 tiles) against one: a
# restricted library (.carry/var2, the 48 m64n256k128 Stream-K kernels) beside the main one.
set -uo pipefail
cd "$(dirname "$0")/../../../.."
export PYTHONPATH="$PWD:$PWD/python" PYTHONUNBUFFERED=1
W=${WORK:-/tmp/v32}; mkdir -p $W
[ -f .carry/var2/libmixgemm.so ] || gunzip -k .carry/var2/libmixgemm.so.gz
TESTS="kernel_matches_reference or exact_small or identity or padded"
MIXGEMM_LIBRARY=.carry/var2/libmixgemm.so MIXGEMM_MANIFEST=.carry/var2/manifest.json timeout 90 \
  python3 -m pytest -m gpu tests -q -k "$TESTS" 2>&1 | tail -3 | tee $W/pytest_var2.log
for v in base var2; do
  lib=build/libmixgemm.so; [ $v = var2 ] && lib=.carry/var2/libmixgemm.so
  MIXGEMM_LIBRARY=$lib timeout 100 python3 -m mixgemm.bench --bits 4,3 --dtype f16 --all-kernels \
    --kernels 'sm90_*_m64n256k128_*streamk' --m 32,64,128,256 --anchors none --out $W/$v > $W/$v.log 2>&1
  echo "$v bench rc=$?"
done
python3 - "$W" <<'PY'
import csv, math, sys
W = sys.argv[1]
t = {}
for v in ("base", "var2"):
    for r in csv.DictReader(open(f"{W}/{v}/bench.csv")):
        if r["error"] or "m64n256k128" not in r["kernel"] or "streamk" not in r["kernel"]: continue
        t.setdefault((r["bits"], int(r["M"]), r["kernel"].split("_g128_")[1]), {}).setdefault(v, {})[r["shape"]] = float(r["mixgemm_us"])
g = lambda xs: math.exp(sum(map(math.log, xs)) / len(xs))
print("bits M kernel | var2/base speed: geomean, per shape (shapes.csv order)")
for k, d in sorted(t.items()):
    b, v = d.get("base", {}), d.get("var2", {})
    if not (b and v): continue
    print(*k, "%.3f" % g([b[s] / v[s] for s in b if s in v]), " ".join("%.2f" % (b[s] / v[s]) for s in b if s in v))
PY
tar czf $OUT/v32.tgz -C $W .
