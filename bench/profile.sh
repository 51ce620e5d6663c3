#!/usr/bin/env bash
# Nsight Compute reports of chosen problems, on a GPU machine, against build/libmixgemm.so.
#   bash bench/profile.sh "K N M [kernel]" ...     (one quoted problem per argument)
# Writes $OUT/ncu.txt (the key sections, one report per problem). NCU_ARGS adds ncu options
# (say "--clock-control none" to profile at the clocks a benchmark runs at), NCU_METRICS more
# metrics (comma-separated). SASS=REGEX also writes
# $OUT/sass.txt: the SASS of the library's kernels whose mangled name matches REGEX.
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-$PWD/gpu-check-out}
mkdir -p "$OUT"
export PYTHONPATH="$PWD:$PWD/python${PYTHONPATH:+:$PYTHONPATH}" PYTHONUNBUFFERED=1
SECTIONS="--section SpeedOfLight --section MemoryWorkloadAnalysis --section LaunchStats \
  --section Occupancy --section WarpStateStats --section SchedulerStats --section InstructionStats"
METRICS="regex:smsp__average_warps_issue_stalled_.*_per_issue_active\.ratio${NCU_METRICS:+,$NCU_METRICS}"
for problem in "$@"; do
  echo "=== $problem" | tee -a "$OUT/ncu.txt"
  # shellcheck disable=SC2086
  ncu -k regex:gemm_kernel --launch-skip 3 --launch-count 1 $SECTIONS --metrics "$METRICS" ${NCU_ARGS:-} \
    python3 bench/profile_one.py $problem 2>&1 | grep -v "^==PROF==" | tee -a "$OUT/ncu.txt"
done
if [ -n "${SASS:-}" ]; then
  cuobjdump -sass build/libmixgemm.so |
    awk -v pat="$SASS" '/Function :/ { keep = ($0 ~ pat) } keep' > "$OUT/sass.txt"
fi
