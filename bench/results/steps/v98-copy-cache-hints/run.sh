#!/usr/bin/env bash
# v98: the sm80 decode tiles' cp.async copies with L2 hints, three libraries timed in one run:
# 0 as committed (L2::128B prefetch), 1 L2::256B prefetch, 2 the weights with an L2 evict_first
# policy (read once), the rest as 0. f16 4-bit g128, the 27 tiles of v97, M = 1, 4, 16, 32.
# Timing only (the copies' sources and predicates are unchanged). carry: [".whl"]
set -uo pipefail
source "$(dirname "$0")/../../../device_env.sh"  # repository root, PYTHONPATH, the carried wheel
F=templates/include/mixgemm/stage_copy.cuh
TILES="$(cat bench/results/steps/v97-bf16-biased-codes/tiles.txt)"
SECONDS=0
for v in 0 1 2; do
  sed -i "s/kCopyVariant = [0-9];/kCopyVariant = $v;/" $F
  [ -f build/v98-$v/libmixgemm.so ] || bash bench/build_subset.sh build/v98-$v "$TILES" "4" "f16" "128" || exit 1
done
sed -i "s/kCopyVariant = [0-9];/kCopyVariant = 0;/" $F
echo "built (${SECONDS}s)"
for v in 0 1 2; do
  MIXGEMM_LIBRARY=build/v98-$v/libmixgemm.so MIXGEMM_MANIFEST=build/v98-$v/manifest.json timeout 150 \
    python3 -m mixgemm.bench --bits 4 --dtype f16 --group-size 128 --all-kernels --m 1,4,16,32 \
    --anchors none --out /tmp/v98_$v > "$OUT/bench_$v.log" 2>&1
  echo "bench $v rc=$? (${SECONDS}s)"
  xz -c /tmp/v98_$v/bench.csv > "$OUT/bench_$v.csv.xz"
done
for v in 1 2; do
  echo "== variant $v / variant 0"
  python3 bench/compare.py /tmp/v98_0/bench.csv /tmp/v98_$v/bench.csv | tail -6
done
