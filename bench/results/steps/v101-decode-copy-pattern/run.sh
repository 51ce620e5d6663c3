#!/usr/bin/env bash
# v101 (prepared in session 22, not run): block timelines (bench/timeline.py) of the decode
# picks at M = 1 on the H200, 32-column tiles against 64- and 128-column ones, 4- and 3-bit.
# Each probe times the GEMM, its copies alone (same grid, pieces and pipeline, no math) and a
# plain streaming read of the same bytes, in one CUDA graph per kernel as the benchmark does.
# The probes are built here with `python3 bench/timeline.py build ...` (the kernels listed
# below, after `codegen emit`) and carried: carry ["build/timeline"].
set -uo pipefail
cd "$(dirname "$0")/../../../.."
python3 bench/timeline.py run --out "$OUT/timelines" \
  "sm80_f16_u4_g128_m8n32k128_s3_p8_splitk 8192 8192 1" \
  "sm80_f16_u3_g128_m8n32k128_s3_p8_splitk 8192 8192 1" \
  "sm80_f16_u4_g128_m8n64k256_s3_p4_splitk 8192 8192 1" \
  "sm80_f16_u3_g128_m8n64k256_s3_p4_splitk 8192 8192 1" \
  "sm80_f16_u4_g128_m8n32k128_s4_p4_splitk 8192 10240 1" \
  "sm80_f16_u4_g128_m8n32k128_s3_p8_splitk 4096 4096 1" \
  "sm80_f16_u4_g128_m8n64k128_s4_p2_splitk 8192 57344 1" \
  "sm80_f16_u4_g128_m8n64k256_s3_p4_splitk 28672 8192 1" \
  "sm80_f16_u4_g128_m8n128k256_s2_p2_splitk 4096 28672 1" 2>&1 | tail -3
for f in "$OUT"/timelines/*.txt; do echo "== $(basename "$f")"; sed -n '1,2p;/summary/,$p' "$f"; done
xz -T0 "$OUT"/timelines/*.csv
