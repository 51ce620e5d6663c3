#!/usr/bin/env bash
# v72: every kernel of the library as committed in session 16 timed (f16 and bf16), for
# codegen.tune. Same carry as v71; reuses build/ when v71 left it on the machine.
set -uo pipefail
source "$(dirname "$0")/../../../device_env.sh"  # repository root, PYTHONPATH, the carried wheel
[ -f build/libmixgemm.so ] || { mkdir -p build && xz -dc .carry/libmixgemm.so.xz > build/libmixgemm.so &&
  rm -rf build/include && cp -r .carry/include build/; }
W=/tmp/v72; mkdir -p $W; SECONDS=0
for dt in f16 bf16; do
  timeout 250 python3 -m mixgemm.bench --bits 4,3 --dtype $dt --all-kernels --out $W/$dt > $W/bench_$dt.log 2>&1
  echo "bench $dt rc=$? (${SECONDS}s)"
  xz -T0 -c $W/$dt/bench.csv > $OUT/bench_$dt.csv.xz; cp $W/$dt/summary.md $OUT/summary_$dt.md
done
grep -E "^\| (f16|bf16) int4" $OUT/summary_*.md
