#!/usr/bin/env bash
# v49: 256-deep slices for the sm80 decode tiles with pipes, against the 128-deep tiles the
# heuristic picks at M <= 16, f16 3- and 4-bit group 128, all 8 shapes (library: build.sh, in
# .carry/v49; carry: [".carry/v49"]). GPU tests of these kernels first.
set -uo pipefail
cd "$(dirname "$0")/../../../.."
export PYTHONPATH="$PWD:$PWD/python" PYTHONUNBUFFERED=1
L=.carry/v49
export MIXGEMM_LIBRARY=$PWD/$L/libmixgemm.so MIXGEMM_MANIFEST=$PWD/$L/manifest.json
W=${WORK:-/tmp/v49}; mkdir -p $W
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader | tee $W/gpu.txt
timeout 200 python3 -m pytest -q -m gpu tests -k "kernel_matches_reference or exact_small or identity or padded or stream_k" \
  -x > $W/gpu_tests.log 2>&1; echo "gpu tests rc=$?"; tail -3 $W/gpu_tests.log
timeout 250 python3 -m mixgemm.bench --bits 3,4 --dtype f16 --group-size 128 --all-kernels \
  --m 1,4,8,16 --anchors none --out $W/bench > $W/bench.log 2>&1; echo "bench rc=$?"
python3 - "$W/bench/bench.csv" <<'PY'
import csv, sys, collections
t = collections.defaultdict(dict)
for r in csv.DictReader(open(sys.argv[1])):
    if r["error"]: continue
    t[(r["shape"], r["bits"], int(r["M"]))][r["kernel"].replace("_g128_", " ")] = float(r["mixgemm_us"])
kernels = sorted({k for d in t.values() for k in d})
for i, k in enumerate(kernels): print(f"k{i}: {k}")
print("shape bits M " + " ".join(f"k{i}" for i in range(len(kernels))))
for (s, b, m), d in sorted(t.items()):
    best = min(d.values())
    print(s.replace("llama3-", ""), b, m, " ".join(f"{d[k] / best:.2f}" if k in d else "-" for k in kernels),
          f"best {best:.1f}")
PY
tar czf $OUT/v49.tgz -C $W .
