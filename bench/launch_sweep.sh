#!/usr/bin/env bash
# Launch experiment on a GPU machine (bench/NOTES.md, session 4): build the 4-bit g128 fp16
# kernels, run the GPU tests with programmatic dependent launch off and on (tests that need
# other formats fail in this build), then time every kernel at M = 1, 16, 64 on the benchmark
# shapes and on a K/N sweep (bench/sweep_shapes.csv: fixed cost against bytes), both ways.
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-$PWD/launch-sweep-out}
mkdir -p "$OUT"
export PYTHONPATH="$PWD:$PWD/python${PYTHONPATH:+:$PYTHONPATH}" PYTHONUNBUFFERED=1
[ -d .cutlass/include/cute ] && export MIXGEMM_CUTLASS_DIR=${MIXGEMM_CUTLASS_DIR:-$PWD/.cutlass}
python3 -m codegen.cli emit --arch sm80,sm90 --bits 4 --dtype f16 --group-size 128 \
  --targets sm_90 > "$OUT/emit.log" 2>&1 &&
python3 -m codegen.cli build -j "$(nproc)" > "$OUT/build.log" 2>&1 || { tail -30 "$OUT/build.log"; exit 1; }
echo "spills: $(grep -c spill "$OUT/build.log")"
for pdl in 0 1; do
  MIXGEMM_PDL=$pdl python3 -m pytest -m gpu tests -q -rf > "$OUT/tests_pdl$pdl.log" 2>&1
  echo "tests PDL=$pdl: $(tail -1 "$OUT/tests_pdl$pdl.log")"; grep -E "^FAILED|^E " "$OUT/tests_pdl$pdl.log" | head -8
done
for pdl in ${PDL_LIST:-0 1}; do
  for shapes in ${SHAPES:-bench/shapes.csv bench/sweep_shapes.csv}; do
    tag=pdl${pdl}_$(basename "$shapes" .csv)
    MIXGEMM_PDL=$pdl python3 -m mixgemm.bench --bits 4 --shapes "$shapes" \
      --m ${M_LIST:-1,16,64} --all-kernels --out "$OUT/$tag" > "$OUT/$tag.log" 2>&1
    echo "=== $tag"; tail -4 "$OUT/$tag.log"
    cp "$OUT/$tag/bench.csv" "$OUT/$tag.csv"; rm -rf "${OUT:?}/$tag"
  done
done
