#!/usr/bin/env bash
# v131 (session 26): SM clock and board power under the decode GEMMs, cuBLAS fp16 and a device
# copy of the packed bytes (clock_probe.py), on a library of the table's fp16 kernels. About
# 3 minutes. carry: [".whl"]
source "$(dirname "$0")/../../../device_env.sh"
S=bench/results/steps/v131-clocks-under-load
W=$(mktemp -d)
bash bench/build_subset.sh $W/lib "$(python3 bench/table_tiles.py)" "3 4" f16 128 | tail -1
nvidia-smi --query-gpu=name,clocks.max.sm,clocks.max.mem,power.limit --format=csv | tee "$OUT/gpu.txt"
MIXGEMM_LIBRARY=$W/lib/libmixgemm.so MIXGEMM_MANIFEST=$W/lib/manifest.json \
  timeout 400 python3 $S/clock_probe.py 2>&1 | tee "$OUT/clocks.txt"
