#!/usr/bin/env bash
# v71: the library as committed in session 16 (688 kernels for sm_90, built on the CPU
# machine and carried): bench/check_carried.sh on the GPU machine (every GPU test, the C
# example, the compute-sanitizer sample, the README's benchmark and the same with
# MIXGEMM_PDL=1).
# carry: [".carry/libmixgemm.so.xz", ".carry/include", "generated/manifest.json",
#         "generated/include", ".whl"]
cd "$(dirname "$0")/../../../.." && bash bench/check_carried.sh /tmp/v71
