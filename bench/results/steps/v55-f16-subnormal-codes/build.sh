#!/usr/bin/env bash
# v55's two libraries: the heuristic's f16 4-bit group-128 kernels at M <= 8 (all 8-row swapped
# tiles) with subnormal codes (this tree with subnormal_codes.patch applied: `git apply
# bench/results/steps/v55-f16-subnormal-codes/subnormal_codes.patch`; Sm80Gemm::kRawCodes),
# plus groups 32, 64 and per-channel of two of them for the GPU tests, into .carry/raw; the
# same 7 group-128 kernels from the commit without the patch (BASE, a worktree) into .carry/base.
set -euo pipefail
cd "$(dirname "$0")/../../../.."
BASE=${BASE:?the commit before the change}
K="m8n128k256_s3_streamk m8n32k128_s3_p8_splitk m8n32k128_s4_p4_splitk m8n32k128_s4_p8_splitk
m8n32k256_s4_p4_splitk m8n64k128_s4_p2_splitk m8n64k256_s3_p4_splitk"
timed=(); for t in $K; do timed+=(--name "sm80_f16_u4_g128_$t"); done
extra=()
for g in 32 64 ch; do
  for t in m8n32k128_s3_p8_splitk m8n64k256_s3_p4_splitk; do
    extra+=(--name "sm80_f16_u4_g${g}_$t" --kernel "sm80_f16_u4_g${g}_$t")
  done
done
build() {  # build TREE OUT ARGS...
  local tree=$1 out=$2; shift 2
  rm -rf "/tmp/$out"
  (cd "$tree" && python3 -m codegen.cli emit --arch sm80 --bits 4 --targets sm_90 "$@" \
     --out "/tmp/$out/gen" --build-dir "/tmp/$out/build" &&
   python3 -m codegen.cli build --out "/tmp/$out/gen" --build-dir "/tmp/$out/build" -j 2)
  rm -rf ".carry/$out" && mkdir -p ".carry/$out"
  cp "/tmp/$out/build/libmixgemm.so" "/tmp/$out/gen/manifest.json" ".carry/$out/"
}
build . raw "${timed[@]}" "${extra[@]}"
rm -rf /tmp/v55-base && git worktree add -f /tmp/v55-base "$BASE"
build /tmp/v55-base base "${timed[@]}"
git worktree remove --force /tmp/v55-base
