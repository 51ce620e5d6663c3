#!/usr/bin/env bash
# v132 (prepared in session 26, not run): zeros for the narrow sm80 tiles' repeated rows
# (change.diff). Builds the catalog's sm80 tiles of up to 8 rows (tiles.txt; the 8-row ones
# are unchanged and serve as the control) with and without the change, fp16, 3/4-bit, g128;
# checks the four narrow tiles with the change (GPU tests, compute-sanitizer; fp16 and bf16,
# groups 32, 64, 128 and per channel); times both libraries at M = 1, 4 and compares them; then
# samples SM clock and power for the narrow tiles on 70B gate_up and down at M = 1 in both
# (../v131-clocks-under-load/probe_tiles.py). About 6 minutes. carry: [".whl"]
source "$(dirname "$0")/../../../device_env.sh"
S=bench/results/steps/v132-zero-repeat-rows
P=bench/results/steps/v131-clocks-under-load/probe_tiles.py
N="sm80_m1n32k256_s3_p8_splitk sm80_m4n32k128_s3_p8_splitk sm80_m4n32k256_s2_p8_splitk
sm80_m4n128k256_s2_p2_splitk"
W=$(mktemp -d); SECONDS=0
pack_logs() { (cd "$OUT" && tar czf logs.tgz *.log && rm -f *.log); }
trap pack_logs EXIT
bash bench/build_subset.sh $W/committed "$(cat $S/tiles.txt)" "3 4" f16 128 | tail -1
{ patch -p1 < $S/change.diff || git apply $S/change.diff; } > /dev/null || exit 1
bash bench/build_subset.sh $W/changed "$(cat $S/tiles.txt)" "3 4" f16 128 | tail -1
bash bench/build_subset.sh $W/check "$N" "3 4" "f16 bf16" "32 64 128 ch" | tail -1
echo "built (${SECONDS}s)"
bash bench/check_library.sh $W/check check
for v in committed changed; do
  MIXGEMM_LIBRARY=$W/$v/libmixgemm.so MIXGEMM_MANIFEST=$W/$v/manifest.json timeout 120 \
    python3 -m mixgemm.bench --bits 3,4 --dtype f16 --group-size 128 --all-kernels --m 1,4 \
    --anchors none --out $W/bench_$v > "$OUT/bench_$v.log" 2>&1
  echo "bench $v rc=$? (${SECONDS}s)"
  xz -T0 -c $W/bench_$v/bench.csv > "$OUT/bench_$v.csv.xz"
done
python3 bench/compare.py $W/bench_committed/bench.csv $W/bench_changed/bench.csv |
  grep -E "cuBLAS|best|^ |m[124]n"
for v in committed changed; do
  echo "== clocks, $v"
  MIXGEMM_LIBRARY=$W/$v/libmixgemm.so MIXGEMM_MANIFEST=$W/$v/manifest.json timeout 150 \
    python3 $P 1 $N 2>&1 | tee "$OUT/clocks_$v.txt"
done
