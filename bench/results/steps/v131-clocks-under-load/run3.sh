#!/usr/bin/env bash
# v131 part 3 (session 26): does the wgmma path run cooler at M = 16? SM clock and power of
# the sm80 16-row pick against the two sm90 16-row tiles of the catalog (probe_tiles.py),
# 70B gate_up and down, fp16, 3/4-bit, g128. About 2 minutes. carry: [".whl"]
source "$(dirname "$0")/../../../device_env.sh"
S=bench/results/steps/v131-clocks-under-load
T="sm80_m16n128k256_s3_streamk sm90_m16n128k256_s4_bulk_tma_pw_clusterk sm90_m16n256k256_s4_bulk_tma_pw_clusterk"
W=$(mktemp -d)
bash bench/build_subset.sh $W/lib "$T" "3 4" f16 128 | tail -1
MIXGEMM_LIBRARY=$W/lib/libmixgemm.so MIXGEMM_MANIFEST=$W/lib/manifest.json \
  timeout 150 python3 $S/probe_tiles.py 16 $T 2>&1 | tee "$OUT/probe_tiles.txt"
