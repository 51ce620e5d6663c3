#!/usr/bin/env bash
# v92 and v95, second step: the README's benchmark command on the full library that run.sh
# built in build/ (same machine), then the heuristic's kernels with MIXGEMM_PDL=1 (f16).
# (As run in v92 and v95 it had the two benchmark commands of bench/table_bench.sh written
# out, with longer timeouts and without the dispatch tests; see git history.)
cd "$(dirname "$0")/../../../.." && LIBRARY_DIR=build bash bench/table_bench.sh
