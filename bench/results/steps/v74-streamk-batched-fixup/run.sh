#!/usr/bin/env bash
# v74: the Stream-K finisher of the sm90 tiles keeps PartialSums::kBatch slots' loads in flight
# (two for 64-row tiles, four for 32-row) instead of one (v73: the fix-up is a third of the
# small layers' time at M = 64-128). Libraries built here: .carry/v74{old,new}, the sm90 `_pw`
# Stream-K tiles the heuristic picks at M = 32-256 (the 128-row one as the control: one slot
# either way), f16 3- and 4-bit group 128. GPU tests on the new one, then every kernel of both
# timed at M = 32, 64, 128, and bench/compare.py. carry [".carry/v74old", ".carry/v74new"].
set -uo pipefail
cd "$(dirname "$0")/../../../.."
export PYTHONPATH="$PWD:$PWD/python" PYTHONUNBUFFERED=1
W=/tmp/v74; mkdir -p $W; SECONDS=0
for lib in old new; do xz -dkf .carry/v74$lib/libmixgemm.so.xz; done
use() { export MIXGEMM_LIBRARY=$PWD/.carry/v74$1/libmixgemm.so MIXGEMM_MANIFEST=$PWD/.carry/v74$1/manifest.json; }
use new
timeout 100 python3 -m pytest -q -m gpu tests -k "kernel_matches_reference or stream_k or padded" > $W/gpu_tests.log 2>&1
echo "gpu tests (new) rc=$? $(tail -1 $W/gpu_tests.log) (${SECONDS}s)"
for lib in old new; do
  use $lib
  timeout 120 python3 -m mixgemm.bench --bits 3,4 --dtype f16 --group-size 128 --all-kernels \
    --m 32,64,128 --anchors none --out $W/bench_$lib > $W/bench_$lib.log 2>&1
  echo "bench $lib rc=$? (${SECONDS}s)"
  xz -T0 -c $W/bench_$lib/bench.csv > $OUT/bench_$lib.csv.xz
done
python3 bench/compare.py $W/bench_old/bench.csv $W/bench_new/bench.csv --m 32,64,128 | tee $OUT/compare.txt | tail -20
cp $W/gpu_tests.log $OUT/
