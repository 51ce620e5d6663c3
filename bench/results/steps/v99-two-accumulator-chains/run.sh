#!/usr/bin/env bash
# v99: the 8-row decode tiles' per-group sums in two sets (even and odd k16 steps), halving
# each unit's chain of dependent MMAs (sm80_gemm.cuh, kPartialChains). The 27 decode tiles of
# v97, f16 4-bit g128 (the 16-row tiles are unchanged: a control), built with the change (1)
# and without it (0, by sed), both checked against the reference and timed in one run,
# M = 1, 4, 8, 16. carry: [".whl"]
set -uo pipefail
source "$(dirname "$0")/../../../device_env.sh"  # repository root, PYTHONPATH, the carried wheel
F=templates/include/mixgemm/sm80_gemm.cuh
TILES="$(cat bench/results/steps/v97-bf16-biased-codes/tiles.txt)"
SECONDS=0
ON='kPartialChains = kScaleInAccum \&\& kSwapAB ? 2 : 1;' OFF='kPartialChains = 1;'
bash bench/build_subset.sh build/v99-1 "$TILES" "4" "f16" "128" || exit 1
sed -i "s/$ON/$OFF/" $F && grep -q "$OFF" $F || exit 1
bash bench/build_subset.sh build/v99-0 "$TILES" "4" "f16" "128"; rc=$?
sed -i "s/$OFF/$ON/" $F; [ $rc = 0 ] || exit 1
echo "built (${SECONDS}s)"
MIXGEMM_LIBRARY=build/v99-1/libmixgemm.so MIXGEMM_MANIFEST=build/v99-1/manifest.json timeout 100 \
  python3 -m pytest -m gpu tests/test_gpu.py -q -rf -k "test_kernel_matches_reference or exact or identity" > "$OUT/tests.log" 2>&1
echo "tests rc=$? $(tail -1 "$OUT/tests.log") (${SECONDS}s)"
for r in 0 1; do for v in 0 1; do  # interleaved, two rounds
  MIXGEMM_LIBRARY=build/v99-$v/libmixgemm.so MIXGEMM_MANIFEST=build/v99-$v/manifest.json timeout 100 \
    python3 -m mixgemm.bench --bits 4 --dtype f16 --group-size 128 --all-kernels --m 1,4,8,16 \
    --anchors none --out /tmp/v99_r${r}_v$v > "$OUT/bench_r${r}_v$v.log" 2>&1
  echo "bench round $r variant $v rc=$? (${SECONDS}s)"
  xz -c /tmp/v99_r${r}_v$v/bench.csv > "$OUT/bench_r${r}_v$v.csv.xz"
done; done
for r in 0 1; do
  echo "== round $r: two chains / one"
  python3 bench/compare.py /tmp/v99_r${r}_v0/bench.csv /tmp/v99_r${r}_v1/bench.csv | grep -E "m8n|cuBLAS|best|^ "
done
