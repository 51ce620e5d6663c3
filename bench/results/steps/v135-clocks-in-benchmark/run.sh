#!/usr/bin/env bash
# v135: the README benchmark with its clock columns, then the same library under sustained
# load. Builds the tiles the committed table names (bench/table_tiles.py), runs
# bench/table_bench.sh on that library (the table and its PDL twin, now with the SM clock and
# power of every measurement), then times the heuristic's picks with 5000 replays per
# measurement (about a second of back-to-back GEMMs each, against the default 20 replays'
# few milliseconds) at M = 1, 16, 64, 4-bit fp16 g128, to see the clock and the speedup the
# benchmark would report under sustained load. About 5 minutes. carry: [".whl"]
source "$(dirname "$0")/../../../device_env.sh"
W=$(mktemp -d); SECONDS=0
bash bench/build_subset.sh $W/lib "$(python3 bench/table_tiles.py)" "3 4" "f16 bf16" 128 | tail -1
echo "built (${SECONDS}s)"
LIBRARY_DIR=$W/lib bash bench/table_bench.sh
use_library $W/lib
timeout 200 python3 -m mixgemm.bench --bits 4 --dtype f16 --m 1,16,64 --replays 5000 \
  --out $W/sustained > "$OUT/bench_sustained.log" 2>&1
echo "bench sustained rc=$? (${SECONDS}s)"
cp $W/sustained/bench.csv "$OUT/bench_sustained.csv"
cp $W/sustained/summary.md "$OUT/summary_sustained.md"
grep -E "^\| f16 int4" $W/sustained/summary.md
