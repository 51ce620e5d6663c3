#!/usr/bin/env bash
# v141 (prepared in session 28): the README table under sustained load. The README benchmark
# for fp16, 3 and 4 bits, on a library of the kernels the table names, with 5000 replays per
# measurement (about a second of back-to-back GEMMs each) instead of 20: what a long decode
# run sees once the power cap binds (v135, v138). Results as a bench/results/<gpu>-sustained/
# folder (results.tgz). About 7 minutes (the measurements alone about 320 s). carry: [".whl"]
source "$(dirname "$0")/../../../device_env.sh"
gpu=$(nvidia-smi --query-gpu=name --format=csv,noheader | head -1 | tr 'A-Z ' 'a-z-')
W=$(mktemp -d); SECONDS=0
use_subset_library $W/lib "$(python3 bench/table_tiles.py)" "3 4" "f16" 128 | tail -1
echo "built (${SECONDS}s)"
timeout 480 python3 -m mixgemm.bench --bits 4,3 --dtype f16 --replays 5000 \
  --out $W/$gpu-sustained > $W/bench_sustained.log 2>&1
echo "bench sustained rc=$? (${SECONDS}s)"
cp $W/bench_sustained.log "$OUT/"; tar czf "$OUT/results.tgz" -C $W $gpu-sustained
grep -E "^\| f16 int[34]" $W/$gpu-sustained/summary.md
