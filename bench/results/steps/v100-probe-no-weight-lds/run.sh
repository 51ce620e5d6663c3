#!/usr/bin/env bash
# v100 (probe, timing only, wrong results): the 27 decode tiles of v97 (f16 4-bit g128) with
# the weight words made in registers from the slice index instead of read from shared memory
# (kProbeNoWeightLds; the weights' copies into shared memory, the activations' ldmatrix, the
# unpack and the MMAs stay), against the same tiles as committed, timed in one run at
# M = 1, 4, 16. Does the shared-memory read side bound the decode tiles? carry: [".whl"]
set -uo pipefail
source "$(dirname "$0")/../../../device_env.sh"  # repository root, PYTHONPATH, the carried wheel
F=templates/include/mixgemm/sm80_gemm.cuh
TILES="$(cat bench/results/steps/v97-bf16-biased-codes/tiles.txt)"
SECONDS=0
bash bench/build_subset.sh build/v100-0 "$TILES" "4" "f16" "128" || exit 1
sed -i 's/kProbeNoWeightLds = false;/kProbeNoWeightLds = true;/' $F
bash bench/build_subset.sh build/v100-1 "$TILES" "4" "f16" "128"; rc=$?
sed -i 's/kProbeNoWeightLds = true;/kProbeNoWeightLds = false;/' $F; [ $rc = 0 ] || exit 1
echo "built (${SECONDS}s)"
for v in 0 1; do
  MIXGEMM_LIBRARY=build/v100-$v/libmixgemm.so MIXGEMM_MANIFEST=build/v100-$v/manifest.json timeout 80 \
    python3 -m mixgemm.bench --bits 4 --dtype f16 --group-size 128 --all-kernels --m 1,4,16 \
    --anchors none --out /tmp/v100_$v > "$OUT/bench_$v.log" 2>&1
  echo "bench $v rc=$? (${SECONDS}s)"
  xz -c /tmp/v100_$v/bench.csv > "$OUT/bench_$v.csv.xz"
done
python3 bench/compare.py /tmp/v100_0/bench.csv /tmp/v100_1/bench.csv | grep -E "m8n32k128_s3_p8|m8n128k256|m16n128k256_s2|cuBLAS|best|^ "
