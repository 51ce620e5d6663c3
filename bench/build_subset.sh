#!/usr/bin/env bash
# A library of chosen kernels, for a benchmark step (bench/results/steps/*/run.sh):
#   bash bench/build_subset.sh DIR "TILE ..." [BITS] [DTYPES] [GROUP]
# TILE is a kernel name without its act, format and group parts: family and tile, e.g.
# sm80_m8n32k128_s3_p8_splitk or sm90_m64n256k128_s4_bulk_tma_streamk. BITS is "3 4", DTYPES
# "f16" and GROUP "128" unless given (GROUP: group sizes, "ch" for per-channel, e.g.
# "32 64 128 ch"). Emits and builds sm_90 code for every (act, bits, group, tile) into DIR:
# libmixgemm.so, manifest.json and include/, which MIXGEMM_LIBRARY and MIXGEMM_MANIFEST load.
# Builds with every core (JOBS=n to change).
set -euo pipefail
dir=$(realpath -m "$1") tiles=$2 bits=${3:-3 4} dtypes=${4:-f16} groups=${5:-128}
cd "$(dirname "$0")/.."
args=()
for act in $dtypes; do
  for b in $bits; do
    for g in $groups; do
      for t in $tiles; do
        k="${t%%_*}_${act}_u${b}_g${g}_${t#*_}"  # sm80_m8n32... -> sm80_f16_u4_g128_m8n32...
        args+=(--name "$k" --kernel "$k")
      done
    done
  done
done
tmp=$(mktemp -d)
python3 -m codegen.cli emit --arch sm80,sm90 --bits "${bits// /,}" --targets sm_90 "${args[@]}" \
  --out "$tmp/gen" --build-dir "$tmp/build" > "$tmp/emit.log"
python3 -m codegen.cli build --out "$tmp/gen" --build-dir "$tmp/build" -j "${JOBS:-$(nproc)}" \
  > "$tmp/build.log" || { tail -20 "$tmp/build.log"; exit 1; }
rm -rf "$dir" && mkdir -p "$dir"
cp "$tmp/build/libmixgemm.so" "$tmp/gen/manifest.json" "$dir/" && cp -r "$tmp/build/include" "$dir/"
echo "built $(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['kernels']))" "$dir/manifest.json") kernels into $dir;" \
  "ptxas: $(grep -c "spilled" "$tmp/build.log") spill and $(grep -c "C7514" "$tmp/build.log")" \
  "wgmma-serialization (C7514) warnings"
rm -rf "$tmp"
