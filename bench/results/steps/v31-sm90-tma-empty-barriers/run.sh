#!/usr/bin/env bash
# First GPU run of the TMA-activation kernels (main library, as committed) and of the "empty"
# barrier variant (restricted library of the 48 _bulk_tma kernels from a worktree, .carry/var):
# GPU tests of each, both timed side by side with the bulk tiles, block timelines.
set -uo pipefail
cd "$(dirname "$0")/../../../.."
export PYTHONPATH="$PWD:$PWD/python" PYTHONUNBUFFERED=1
W=${WORK:-/tmp/v31}; mkdir -p $W/tl
[ -f .carry/var/libmixgemm.so ] || gunzip -k .carry/var/libmixgemm.so.gz
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | tee $W/gpu.txt
TESTS="kernel_matches_reference or exact_small or identity or padded"
timeout 90 python3 -m pytest -m gpu tests -q -x -k "bulk_tma and ($TESTS)" 2>&1 | tail -4 | tee $W/pytest_base.log
MIXGEMM_LIBRARY=.carry/var/libmixgemm.so MIXGEMM_MANIFEST=.carry/var/manifest.json timeout 90 \
  python3 -m pytest -m gpu tests -q -k "$TESTS" 2>&1 | tail -4 | tee $W/pytest_var.log
timeout 150 python3 -m mixgemm.bench --bits 4,3 --dtype f16 --all-kernels --kernels 'sm90_*_bulk*' \
  --m 32,64,128,256 --anchors none --out $W/base > $W/base.log 2>&1; echo "base bench rc=$?"
MIXGEMM_LIBRARY=.carry/var/libmixgemm.so timeout 100 python3 -m mixgemm.bench --bits 4,3 --dtype f16 \
  --all-kernels --kernels 'sm90_*' --m 32,64,128,256 --anchors none --out $W/var > $W/var.log 2>&1
echo "var bench rc=$?"
for spec in "8192 57344 64" "4096 4096 64" "8192 8192 128"; do
  set -- $spec; s=$1_$2_$3
  for k in sm90_f16_u4_g128_m64n256k128_s4_bulk_streamk sm90_f16_u4_g128_m64n256k128_s4_bulk_tma_streamk \
           sm90_f16_u4_g128_m128n256k128_s4_bulk_tma_streamk; do
    timeout 20 build/timeline/$k $1 $2 $3 20 $W/tl/${k#sm90_f16_u4_g128_}_$s.csv > $W/tl/${k#sm90_f16_u4_g128_}_$s.txt 2>&1
    [ -x .carry/var/timeline/$k ] && timeout 20 .carry/var/timeline/$k $1 $2 $3 20 \
      $W/tl/var_${k#sm90_f16_u4_g128_}_$s.csv > $W/tl/var_${k#sm90_f16_u4_g128_}_$s.txt 2>&1
  done
done
grep -H "time per call\|kernel span\|last block starts\|mainloop done" $W/tl/*.txt | sed 's/.*tl\///'
python3 - "$W" <<'PY'
import csv, math, sys
W = sys.argv[1]
t = {}
for v in ("base", "var"):
    for r in csv.DictReader(open(f"{W}/{v}/bench.csv")):
        if r["error"] or not r["kernel"].startswith("sm90_"): continue
        t.setdefault((r["bits"], r["M"], r["kernel"].split("_g128_")[1]), {}).setdefault(v, {})[r["shape"]] = float(r["mixgemm_us"])
g = lambda xs: math.exp(sum(map(math.log, xs)) / len(xs))
print("bits M tile: base us 70b gate_up | var/base speed (geomean over shapes)")
for k, d in sorted(t.items()):
    b = d.get("base", {}); v = d.get("var", {})
    sp = g([b[s] / v[s] for s in b if s in v]) if v and b else float("nan")
    print(*k, "%.1f" % b.get("llama3-70b_gate_up_proj", 0), "%.3f" % sp)
PY
tar czf $OUT/v31.tgz -C $W .
