#!/usr/bin/env bash
# A kernel-source change against the code as committed, on a GPU machine, for a benchmark step:
#   bash bench/time_change.sh STEP_DIR M_LIST
# STEP_DIR (under bench/results/steps/) holds
#   change.diff  the change (applied with patch or git apply; this machine's tree is a copy);
#   timing.txt   one line: "TILES|BITS|DTYPES|GROUPS" (bench/build_subset.sh's arguments) of the
#                kernels to time with and without the change;
#   check.txt    the same for a correctness library built with the change (optional).
# Builds both timing libraries and the check library, runs the GPU tests and compute-sanitizer
# on the check library and on the changed timing library, times both timing libraries in one
# run (every kernel, M_LIST) per activation dtype, writes the CSVs and logs to $OUT, and prints
# bench/compare.py's summary (changed / committed, cuBLAS as the control). The logs (tests,
# sanitizer, benchmark) go into $OUT/logs.tgz on exit: the device tool returns 8 files at most.
# The .whl/ folder with the nvidia-cutlass wheel must be carried.
set -uo pipefail
source "$(dirname "$0")/device_env.sh"  # repository root, PYTHONPATH, the carried wheel
step=${1%/} m_list=$2
W=$(mktemp -d); SECONDS=0
pack_logs() { (cd "$OUT" && ls *.log > /dev/null 2>&1 && tar czf logs.tgz *.log && rm -f *.log); }
trap pack_logs EXIT
build() {  # build DIR SPEC_FILE
  IFS='|' read -r tiles bits dtypes groups < "$2"
  bash bench/build_subset.sh "$1" "$tiles" "$bits" "$dtypes" "$groups"
}
build $W/committed $step/timing.txt || exit 1
{ patch -p1 < $step/change.diff || git apply $step/change.diff; } > /dev/null || exit 1
build $W/changed $step/timing.txt || exit 1
[ -f $step/check.txt ] && { build $W/check $step/check.txt || exit 1; }
echo "built (${SECONDS}s)"
[ -f $step/check.txt ] && bash bench/check_library.sh $W/check check
bash bench/check_library.sh $W/changed changed
echo "checked (${SECONDS}s)"
IFS='|' read -r _ bits dtypes groups < $step/timing.txt
for d in $dtypes; do
  for v in committed changed; do
    MIXGEMM_LIBRARY=$W/$v/libmixgemm.so MIXGEMM_MANIFEST=$W/$v/manifest.json timeout 120 \
      python3 -m mixgemm.bench --bits "${bits// /,}" --dtype $d --group-size "${groups// /,}" --all-kernels \
      --m "$m_list" --anchors none --out $W/bench_${v}_$d > "$OUT/bench_${v}_$d.log" 2>&1
    echo "bench $v $d rc=$? (${SECONDS}s)"
    xz -T0 -c $W/bench_${v}_$d/bench.csv > "$OUT/bench_${v}_$d.csv.xz"
  done
  echo "== $d: changed / committed"
  python3 bench/compare.py $W/bench_committed_$d/bench.csv $W/bench_changed_$d/bench.csv |
    grep -E "cuBLAS|best|^ "
done
