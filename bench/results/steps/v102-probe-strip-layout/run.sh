#!/usr/bin/env bash
# v102 (probe, prepared in session 22, not run; timing only, wrong results): the 27 sm80 decode
# tiles of v97, f16 3- and 4-bit g128, with their weight copies addressed as if each tile's BN
# columns were stored contiguously along K (change.diff, kProbeStripLayout), against the same
# tiles as committed, timed in one run at M = 1, 4, 16. The benchmark's shapes have N and K
# multiples of every decode tile, which the probe's addressing needs. carry: [".whl"]
set -uo pipefail
source "$(dirname "$0")/../../../device_env.sh"  # repository root, PYTHONPATH, the carried wheel
S=bench/results/steps/v102-probe-strip-layout
TILES="$(cat bench/results/steps/v97-bf16-biased-codes/tiles.txt)"
SECONDS=0
bash bench/build_subset.sh build/v102-0 "$TILES" "3 4" "f16" "128" || exit 1
{ patch -p1 < $S/change.diff || git apply $S/change.diff; } > /dev/null || exit 1
sed -i 's/kProbeStripLayout = false;/kProbeStripLayout = true;/' templates/include/mixgemm/sm80_gemm.cuh
bash bench/build_subset.sh build/v102-1 "$TILES" "3 4" "f16" "128"; rc=$?
patch -R -p1 < $S/change.diff > /dev/null 2>&1 || true  # the machine's tree is a copy anyway
[ $rc = 0 ] || exit 1
echo "built (${SECONDS}s)"
for v in 0 1; do
  MIXGEMM_LIBRARY=build/v102-$v/libmixgemm.so MIXGEMM_MANIFEST=build/v102-$v/manifest.json timeout 150 \
    python3 -m mixgemm.bench --bits 4,3 --dtype f16 --group-size 128 --all-kernels --m 1,4,16 \
    --anchors none --out /tmp/v102_$v > "$OUT/bench_$v.log" 2>&1
  echo "bench $v rc=$? (${SECONDS}s)"
  xz -c /tmp/v102_$v/bench.csv > "$OUT/bench_$v.csv.xz"
done
python3 bench/compare.py /tmp/v102_0/bench.csv /tmp/v102_1/bench.csv | grep -E "cuBLAS|best|^ "
