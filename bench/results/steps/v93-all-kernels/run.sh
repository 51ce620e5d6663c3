#!/usr/bin/env bash
# v93: every kernel of the library as committed in session 21 (v91 landed) timed on the H200,
# f16 and bf16, for codegen.tune. Builds the default library first unless build/ has it.
set -uo pipefail
source "$(dirname "$0")/../../../device_env.sh"  # repository root, PYTHONPATH, the carried wheel
W=$(mktemp -d); SECONDS=0
if [ ! -f build/libmixgemm.so ]; then
  python3 -m codegen.cli emit --arch sm80,sm90 --bits 3,4 --targets sm_90 > $W/emit.log 2>&1 &&
    python3 -m codegen.cli build -j "$(nproc)" > $W/build.log 2>&1 || { tail $W/*.log; exit 1; }
  echo "built (${SECONDS}s)"
fi
for dt in f16 bf16; do
  timeout 170 python3 -m mixgemm.bench --bits 4,3 --dtype $dt --all-kernels --out $W/$dt \
    > $W/bench_$dt.log 2>&1
  echo "bench $dt rc=$? (${SECONDS}s)"
  xz -T0 -c $W/$dt/bench.csv > $OUT/bench_$dt.csv.xz; cp $W/$dt/summary.md $OUT/summary_$dt.md
done
grep -E "^\| (f16|bf16) int4" $OUT/summary_*.md
