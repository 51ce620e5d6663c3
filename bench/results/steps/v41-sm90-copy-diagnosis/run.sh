#!/usr/bin/env bash
# Which copies bind the sm90 K loop at M = 64 and 128 (70B shapes, f16 4-bit group 128): the
# kernels of build.sh with and without their activation and weight copies (libraries in
# .carry/diag2, carried with `carry: [".carry/diag2"]`). Timing only: without copies the
# results are wrong by design.
set -uo pipefail
cd "$(dirname "$0")/../../../.."
export PYTHONPATH="$PWD:$PWD/python" PYTHONUNBUFFERED=1
W=${WORK:-/tmp/v41}; mkdir -p $W
D=bench/results/steps/v41-sm90-copy-diagnosis
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | tee $W/gpu.txt
for v in base noact noweight nocopy; do
  python3 -c "import lzma,shutil;shutil.copyfileobj(lzma.open('.carry/diag2/$v/libmixgemm.so.xz'),open('/tmp/diag2_$v.so','wb'))"
  MIXGEMM_LIBRARY=/tmp/diag2_$v.so MIXGEMM_MANIFEST=.carry/diag2/manifest.json timeout 90 \
    python3 -m mixgemm.bench --bits 4 --dtype f16 --group-size 128 --all-kernels --kernels 'sm90_*' \
    --shapes $D/shapes.csv --m 64,128 --anchors none --out $W/$v > $W/$v.log 2>&1
  echo "$v rc=$?"
done
python3 - "$W" <<'PY'
import csv, sys
W = sys.argv[1]
t = {}
for v in ("base", "noact", "noweight", "nocopy"):
    for r in csv.DictReader(open(f"{W}/{v}/bench.csv")):
        if r["error"] or not r["kernel"].startswith("sm90_"): continue
        t.setdefault((r["shape"], r["M"], r["kernel"].split("_g128_")[1]), {})[v] = float(r["mixgemm_us"])
print("shape M tile: base, no activation copies, no weight copies, no copies (us)")
for k, d in sorted(t.items()):
    print(*k, *("%.1f" % d.get(v, 0) for v in ("base", "noact", "noweight", "nocopy")))
PY
tar czf $OUT/v41.tgz -C $W .
