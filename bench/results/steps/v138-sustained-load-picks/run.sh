#!/usr/bin/env bash
# v138: does the heuristic still pick well when the power cap binds? The two layers that reach
# the H200's 700 W cap under sustained load (v135: 70B gate_up and down), M = 16-128, 3- and
# 4-bit fp16 g128. Each M's candidates (tiles.txt: the up-to-five fastest kernels per cell in
# the tuning CSVs, codegen/heuristic_table.py SOURCES) are timed twice: with the default 20
# replays per measurement (a few ms, as the table), then with 5000 (about a second each, as
# sustained decode). Library built here (.carry/v138lib). About 5 minutes.
# carry: [".whl", ".carry/v138lib"]
source "$(dirname "$0")/../../../device_env.sh"
step=bench/results/steps/v138-sustained-load-picks
use_library .carry/v138lib
W=$(mktemp -d); SECONDS=0
declare -A GLOBS=([16]="*_m16n*" [32]="*_m32n*" [64]="*_m64n*"
                  [128]="*_m128n*,*_m64n256k256_s3_bulk_tma_pw_clusterk")
for replays in 20 5000; do
  for m in 16 32 64 128; do
    timeout 150 python3 -m mixgemm.bench --shapes $step/shapes.csv --bits 4,3 --dtype f16 \
      --m $m --all-kernels --kernels "${GLOBS[$m]}" --replays $replays --anchors none \
      --out $W/r${replays}_m$m > $W/r${replays}_m$m.log 2>&1
    echo "replays $replays M=$m rc=$? (${SECONDS}s)"
  done
  python3 - $W/r${replays}_m*/bench.csv > $W/bench_r$replays.csv <<'P'
import sys
lines = [open(f).read().splitlines() for f in sys.argv[1:]]
print("\n".join([lines[0][0]] + [l for f in lines for l in f[1:]]))
P
  xz -T0 -c $W/bench_r$replays.csv > "$OUT/bench_r$replays.csv.xz"
done
tail -q -n 3 $W/r*.log > "$OUT/tails.log"
cat $W/r*.log | xz -T0 > "$OUT/logs.xz"
python3 $step/compare.py $W/bench_r20.csv $W/bench_r5000.csv
