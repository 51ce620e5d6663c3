#!/usr/bin/env bash
# The sm90 K loop without any copies (stale shared memory): unpack + wgmma, wgmma alone, unpack
# alone, against the same kernels with their copies (libraries from build.sh + diag.patch of
# steps/v27-sm90-leave-one-out, in .carry/diag).
set -uo pipefail
cd "$(dirname "$0")/../../../.."
export PYTHONPATH="$PWD:$PWD/python" PYTHONUNBUFFERED=1
W=${WORK:-/tmp/v34}; mkdir -p $W
D=bench/results/steps/v34-sm90-compute-only
for v in base compute wgmmaonly unpackonly; do
  gunzip -kf .carry/diag/$v/libmixgemm.so.gz
  MIXGEMM_LIBRARY=.carry/diag/$v/libmixgemm.so timeout 60 python3 -m mixgemm.bench --bits 4 --dtype f16 \
    --group-size 128 --all-kernels --kernels 'sm90_*' --shapes $D/shapes.csv --m 64,128 --anchors none \
    --out $W/$v > $W/$v.log 2>&1
  echo "$v rc=$?"
done
python3 - "$W" <<'PY'
import csv, sys
W = sys.argv[1]
t = {}
for v in ("base", "compute", "wgmmaonly", "unpackonly"):
    for r in csv.DictReader(open(f"{W}/{v}/bench.csv")):
        if r["error"] or not r["kernel"].startswith("sm90_"): continue
        t.setdefault((r["shape"], r["M"], r["kernel"].split("_g128_")[1]), {})[v] = float(r["mixgemm_us"])
print("shape M tile: base compute wgmma-only unpack-only (us)")
for k, d in sorted(t.items()):
    print(*k, *("%.1f" % d.get(v, 0) for v in ("base", "compute", "wgmmaonly", "unpackonly")))
PY
tar czf $OUT/v34.tgz -C $W .
