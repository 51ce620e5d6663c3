#!/usr/bin/env bash
# sm90 tiles of 16 and 32 activation rows (wgmma N = 16, 32) against the 64-row sm90 tile and
# the sm80 tiles that serve M = 16-32, f16 4-bit group 128, all 8 shapes. The library of
# build.sh travels in .carry/x (carry: [".carry/x"]). GPU tests of these kernels first.
set -uo pipefail
cd "$(dirname "$0")/../../../.."
export PYTHONPATH="$PWD:$PWD/python" PYTHONUNBUFFERED=1
L=${LIB_DIR:-.carry/x}  # the library of build.sh (v45 ran this with LIB_DIR=.carry/y)
export MIXGEMM_LIBRARY=$PWD/$L/libmixgemm.so MIXGEMM_MANIFEST=$PWD/$L/manifest.json
W=${WORK:-/tmp/v44}; mkdir -p $W
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader | tee $W/gpu.txt
timeout 200 python3 -m pytest -q -m gpu tests -k "kernel_matches_reference or exact_small or identity or padded or stream_k" \
  -x > $W/gpu_tests.log 2>&1; echo "gpu tests rc=$?"; tail -3 $W/gpu_tests.log
timeout 250 python3 -m mixgemm.bench --bits 4 --dtype f16 --group-size 128 --all-kernels \
  --m ${MS:-8,16,32,64} --anchors none --out $W/bench > $W/bench.log 2>&1; echo "bench rc=$?"
python3 - "$W/bench/bench.csv" <<'PY'
import csv, sys, collections
t = collections.defaultdict(dict)
for r in csv.DictReader(open(sys.argv[1])):
    if r["error"] or r["heuristic"] == "True": continue
    t[(r["shape"], int(r["M"]))][r["kernel"].replace("_f16_u4_g128_", " ")] = float(r["mixgemm_us"])
kernels = sorted({k for d in t.values() for k in d})
for i, k in enumerate(kernels): print(f"k{i}: {k}")
print("shape M " + " ".join(f"k{i}" for i in range(len(kernels))))
for (s, m), d in sorted(t.items()):
    best = min(d.values())
    print(s.replace("llama3-", ""), m, " ".join(f"{d.get(k, 0) / best:.2f}" for k in kernels), f"best {best:.1f}")
PY
tar czf $OUT/v44.tgz -C $W .
