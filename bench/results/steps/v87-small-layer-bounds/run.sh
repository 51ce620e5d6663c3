#!/usr/bin/env bash
# What bounds the sm90 cluster split-K tiles on the small layers at M = 64-128: the M = 64/128
# picks with parts of their work taken away (build.sh + diag.patch, libraries in .carry/v87):
# no activation refills, no weight refills, neither, no compute, no cluster reduction.
# Timing only (the diag variants compute wrong results). carry: [".carry/v87"]
set -uo pipefail
cd "$(dirname "$0")/../../../.."
export PYTHONPATH="$PWD:$PWD/python" PYTHONUNBUFFERED=1
W=$(mktemp -d); D=bench/results/steps/v87-small-layer-bounds
V="base noact noweight nocopy nocompute noreduce"
for v in $V; do
  gunzip -kf .carry/v87/$v/libmixgemm.so.gz
  MIXGEMM_LIBRARY=.carry/v87/$v/libmixgemm.so MIXGEMM_MANIFEST=.carry/v87/$v/manifest.json \
    timeout 90 python3 -m mixgemm.bench --bits 4 --dtype f16 --group-size 128 --all-kernels \
    --kernels 'sm90_*' --shapes $D/shapes.csv --m 64,128 --anchors none --out $W/$v > $W/$v.log 2>&1
  echo "$v rc=$?"
done
python3 - "$W" $V <<'PY'
import csv, sys
W, V = sys.argv[1], sys.argv[2:]
t = {}
for v in V:
    for r in csv.DictReader(open(f"{W}/{v}/bench.csv")):
        if r["error"] or not r["kernel"].startswith("sm90_"): continue
        t.setdefault((r["shape"], r["M"], r["kernel"].split("_g128_")[1].replace("_bulk_tma_pw_clusterk", "")), {})[v] = float(r["mixgemm_us"])
print("shape M tile:", *V, "(us)")
for k, d in sorted(t.items()):
    print(*k, *("%.2f" % d.get(v, 0) for v in V))
PY
tar czf $OUT/v87.tgz -C $W .
