#!/usr/bin/env bash
# (Run on a tree of 358b18e with change.diff applied: main has neither experiment.)
# v90's check library (built here, carried as .carry/v90/check): the code of this step with the
# weight prefetch 4 slices ahead, one tile of every sm90 copy path and scheduler family touched
# (cp.async, bulk, bulk + TMA, producer warp, multicast 2 and 4) and an sm80 one, f16 and bf16,
# 3 and 4 bits, groups 128 and 64: for the GPU tests and compute-sanitizer.
set -euo pipefail
cd "$(dirname "$0")/../../../.."
T="sm90_m64n256k128_s4_streamk sm90_m64n256k128_s4_bulk_splitk sm90_m128n256k128_s4_bulk_tma_clusterk sm90_m64n192k128_s4_bulk_tma_pw_streamk sm90_m64n64k256_s4_bulk_tma_pw_mc4_clusterk sm90_m64n128k128_s4_bulk_tma_pw_mc2_clusterk sm90_m32n128k256_s3_bulk_tma_pw_mc2_clusterk sm80_m8n32k128_s4_p8_splitk"
NVCC_APPEND_FLAGS="-DMIXGEMM_WEIGHT_PREFETCH=4" JOBS=2 bash bench/build_subset.sh /tmp/v90lib/check "$T" "3 4" "f16 bf16" "128 64"
mkdir -p .carry/v90/check && gzip -9 -c /tmp/v90lib/check/libmixgemm.so > .carry/v90/check/libmixgemm.so.gz
cp /tmp/v90lib/check/manifest.json .carry/v90/check/
