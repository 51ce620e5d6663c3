#!/usr/bin/env bash
# The final check of a library built on a machine without a GPU, on a GPU machine:
#   bash bench/check_carried.sh WORKDIR        (RUN=2: the checks and the PDL benchmark only)
# Expects the library as .carry/libmixgemm.so.xz (xz keeps it under the device tool's carry
# limit) with its headers in .carry/include, generated/manifest.json and generated/include
# (the GPU tests read the manifest), and the nvidia-cutlass wheel in .whl/. Runs every GPU
# test, the C example and the compute-sanitizer sample (bench/gpu_check.sh, BUILD=0 BENCH=0),
# then the README's benchmark command (f16 and bf16, the heuristic's kernels) into
# WORKDIR/<gpu slug> and the same with MIXGEMM_PDL=1 (f16) into WORKDIR/<gpu slug>-pdl, and
# packs the results and logs into $OUT/results.tgz (the device tool returns few files).
set -uo pipefail
W=$(realpath -m "$1")
source "$(dirname "$0")/device_env.sh"  # repository root, PYTHONPATH, the carried wheel
mkdir -p build "$W" && xz -dc .carry/libmixgemm.so.xz > build/libmixgemm.so &&
  chmod +x build/libmixgemm.so && rm -rf build/include && cp -r .carry/include build/ || exit 1
BUILD=0 BENCH=0 WORK=$W/check OUT=$W bash bench/gpu_check.sh > "$W/check.log" 2>&1
tail -7 "$W/check.log"
slug=$(python3 -c "import torch; from mixgemm.bench import gpu_slug
print(gpu_slug(torch.cuda.get_device_name(0)))")
if [ "${RUN:-1}" = 1 ]; then
  timeout 150 python3 -m mixgemm.bench --bits 4,3 --dtype f16,bf16 --out "$W/$slug" > "$W/bench.log" 2>&1
  echo "bench rc=$?"
  grep -E "^\| (f16|bf16) int4" "$W/$slug/summary.md"
fi
MIXGEMM_PDL=1 timeout 100 python3 -m mixgemm.bench --bits 4,3 --dtype f16 --out "$W/$slug-pdl" \
  > "$W/bench_pdl.log" 2>&1
echo "bench pdl rc=$?"
grep -E "^\| f16 int4" "$W/$slug-pdl/summary.md"
tar czf "$OUT/results.tgz" -C "$W" check.log check/logs $(cd "$W" && ls -d bench*.log "$slug"*)
