#!/usr/bin/env bash
# v124 (session 25): where the decode loop's time goes on the large layers. probe.diff adds
# Sm80Gemm::kProbe (timing only, results wrong on purpose): 0 the library's loop, 1 no unpack,
# 2 no MMA, 3 no compute, 4 no copies after the first slices. One library per probe of the
# 70B gate_up and down M = 1 picks and the 16-row Stream-K tile, fp16, 3/4-bit, g128, timed
# at M = 1 and 16 on the four large layers. PROBES (default "0 1 2 3") picks the probes and
# NAME (default bench_probe) the output files; run2.sh is the second call. About 4 minutes.
# carry: [".whl"]
set -uo pipefail
source "$(dirname "$0")/../../../device_env.sh"  # repository root, PYTHONPATH, the carried wheel
S=bench/results/steps/v124-decode-loop-decomposition
PROBES=${PROBES:-0 1 2 3} NAME=${NAME:-bench_probe}
{ patch -p1 < $S/probe.diff || git apply $S/probe.diff; } > /dev/null || exit 1
H=templates/include/mixgemm/sm80_gemm.cuh
T="sm80_m8n64k128_s4_p2_splitk sm80_m4n32k256_s2_p8_splitk sm80_m16n128k256_s3_streamk"
for v in $PROBES; do
  sed -i "s/static constexpr int kProbe = [0-9];/static constexpr int kProbe = $v;/" $H
  bash bench/build_subset.sh build/probe$v "$T" "3 4" "f16" "128" | tail -1
done
for v in $PROBES; do
  MIXGEMM_LIBRARY=build/probe$v/libmixgemm.so MIXGEMM_MANIFEST=build/probe$v/manifest.json \
    timeout 90 python3 -m mixgemm.bench --shapes $S/shapes.csv --bits 4,3 --dtype f16 --m 1,16 \
    --all-kernels --anchors none --out build/bench$v > "$OUT/$NAME$v.log" 2>&1
  echo "probe $v rc=$?"
  cp build/bench$v/bench.csv "$OUT/$NAME$v.csv"
done
PROBES="$PROBES" NAME="$NAME" python3 - <<'PY'
import csv, os
out, name = os.environ["OUT"], os.environ["NAME"]
probes = [int(v) for v in os.environ["PROBES"].split()]
label = {0: "loop", 1: "no unpk", 2: "no mma", 3: "no comp", 4: "no copy"}
t = {}
for v in probes:
    for r in csv.DictReader(open(f"{out}/{name}{v}.csv")):
        if r["mixgemm_us"]:
            t.setdefault((r["shape"], r["M"], r["bits"], r["kernel"][17:]), {})[v] = float(r["mixgemm_us"])
print(f"{'cell':<70} " + " ".join(f"{label[v]:>7}" for v in probes) + "  us")
for k, d in sorted(t.items()):
    print(f"{' '.join(k):<70} " + " ".join(f"{d.get(v, float('nan')):7.2f}" for v in probes))
PY
