#!/usr/bin/env bash
# v124, second call: probe 4 (no copies after the first slices) against probe 0, same tiles,
# shapes and M as run.sh. About 1.5 minutes. carry: [".whl"]
set -uo pipefail
cd "$(dirname "$0")/../../../.."
S=bench/results/steps/v124-decode-loop-decomposition
export PYTHONPATH="$PWD:$PWD/python" PYTHONUNBUFFERED=1
python3 -m pip install -q --no-deps .whl/nvidia_cutlass-*.whl > /dev/null 2>&1
{ patch -p1 < $S/probe.diff || git apply $S/probe.diff; } > /dev/null || exit 1
H=templates/include/mixgemm/sm80_gemm.cuh
T="sm80_m8n64k128_s4_p2_splitk sm80_m4n32k256_s2_p8_splitk sm80_m16n128k256_s3_streamk"
for v in 0 4; do
  sed -i "s/static constexpr int kProbe = [0-9];/static constexpr int kProbe = $v;/" $H
  bash bench/build_subset.sh build/probe$v "$T" "3 4" "f16" "128" | tail -1
  MIXGEMM_LIBRARY=build/probe$v/libmixgemm.so MIXGEMM_MANIFEST=build/probe$v/manifest.json \
    timeout 90 python3 -m mixgemm.bench --shapes $S/shapes.csv --bits 4,3 --dtype f16 --m 1,16 \
    --all-kernels --anchors none --out build/bench$v > "$OUT/bench_run2_probe$v.log" 2>&1
  echo "probe $v rc=$?"
  cp build/bench$v/bench.csv "$OUT/bench_run2_probe$v.csv"
done
python3 - <<'PY'
import csv, os
out = os.environ["OUT"]
t = {}
for v in (0, 4):
    for r in csv.DictReader(open(f"{out}/bench_run2_probe{v}.csv")):
        if r["mixgemm_us"]:
            t.setdefault((r["shape"], r["M"], r["bits"], r["kernel"][17:]), {})[v] = float(r["mixgemm_us"])
print(f"{'cell':<70} {'loop':>7} {'no copy':>7}  us")
for k, d in sorted(t.items()):
    print(f"{' '.join(k):<70} " + " ".join(f"{d.get(v, float('nan')):7.2f}" for v in (0, 4)))
PY
