#!/usr/bin/env bash
# One call on a GPU machine: emit + build, GPU tests, C example, compute-sanitizer sample,
# benchmark; a summary table is printed last. Usage: `make gpu-check` (see README).
#   EMIT_ARGS  kernels to emit           (default: --arch sm80,sm90 --bits 3,4)
#   TARGETS    compile targets           (default: sm_90, the H100/H200)
#   BUILD=0    use the library already in build/ (built elsewhere and carried) as it is
#   BENCH      quick (default): `mixgemm.bench --quick`; full: every kernel of 4- and 3-bit
#              weights with fp16 activations, the same with bf16, and the heuristic's kernels
#              with programmatic dependent launch (MIXGEMM_PDL=1), each run in its own folder;
#              sm90: the wgmma family's kernels alone (both weight copy paths side by side) at
#              M = 32..256, 4- and 3-bit fp16; table: the heuristic's kernels alone (fp16,
#              bf16, fp16 with PDL), the check of a freshly tuned table; 0: no benchmark
#   TIMELINE   after the benchmark, block-by-block timelines (bench/timeline.py) of these
#              "KERNEL K N M" problems, separated by ';', into timeline/; probes missing from
#              build/timeline/ are built first (nvcc; or build them elsewhere and carry
#              build/timeline)
#   DEADLINE   seconds this script may take in all (default: no limit); each step gets what is
#              left less a reserve for packing, so a slow benchmark is cut short, not the logs
#   OUT        where results.tgz goes (default: gpu-check-out/); WORK: the unpacked files
# Everything is packed into $OUT/results.tgz after every step (the device tool returns few
# files, and a cut-off call returns what was packed): logs/ and one folder per benchmark run.
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-$PWD/gpu-check-out}
WORK=${WORK:-$OUT/work}  # packed into $OUT/results.tgz
mkdir -p "$WORK/logs"
export PYTHONPATH="$PWD:$PWD/python${PYTHONPATH:+:$PYTHONPATH}" PYTHONUNBUFFERED=1
[ -d .cutlass/include/cute ] && export MIXGEMM_CUTLASS_DIR=${MIXGEMM_CUTLASS_DIR:-$PWD/.cutlass}
START=$SECONDS
RESERVE=20
declare -A RESULT
ORDER=()

pack() { tar czf "$OUT/results.tgz" -C "$WORK" . ; }

step() {  # step NAME COMMAND...: run (within the deadline), log to logs/NAME.log, pack
  local name=$1; shift
  local limit=""
  if [ -n "${DEADLINE:-}" ]; then
    local left=$((DEADLINE - (SECONDS - START) - RESERVE))
    if [ "$left" -le 5 ]; then RESULT[$name]="skipped (deadline)"; ORDER+=("$name"); return 1; fi
    limit="timeout --signal=INT --kill-after=10 $left"
  fi
  echo "=== $name: $*"
  local t0=$SECONDS
  $limit "$@" 2>&1 | tee "$WORK/logs/$name.log"
  local rc=${PIPESTATUS[0]}
  RESULT[$name]="$([ "$rc" = 0 ] && echo pass || echo "FAIL (rc=$rc)") $((SECONDS - t0))s"
  ORDER+=("$name")
  pack
  return "$rc"
}

nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | tee "$WORK/gpu.txt"
if [ "${BUILD:-1}" != 0 ]; then
  step emit python3 -m codegen.cli emit ${EMIT_ARGS:---arch sm80,sm90 --bits 3,4} \
    --targets "${TARGETS:-sm_90}" &&
  step build python3 -m codegen.cli build -j "$(nproc)" || { echo "build failed"; exit 1; }
fi
[ -f build/libmixgemm.so ] || { echo "no build/libmixgemm.so"; exit 1; }
# Registers that hold fewer blocks per SM than a kernel's hint asks for (bench/occupancy.py).
command -v cuobjdump > /dev/null && step occupancy python3 bench/occupancy.py build/libmixgemm.so
step gpu_tests python3 -m pytest -m gpu tests -q -rf --junitxml="$WORK/logs/gpu_tests.xml"
step c_example bash -c 'gcc -std=c99 -O1 -DMIXGEMM_EXAMPLE_WITH_CUDA -Ibuild/include \
  -I"$(dirname "$(dirname "$(command -v nvcc)")")/include" tests/c/example.c -Lbuild -lmixgemm \
  -L"$(dirname "$(dirname "$(command -v nvcc)")")/lib64" -lcudart -Wl,-rpath,"$PWD/build" \
  -o build/example && ./build/example'
step sanitizer compute-sanitizer --tool memcheck --error-exitcode 9 python3 tests/gpu_sanitize_sample.py

BENCH_DIRS=()
bench() {  # bench NAME ARGS...: one benchmark run into $WORK/NAME
  BENCH_DIRS+=("$1")
  step "$1" python3 -m mixgemm.bench "${@:2}" --out "$WORK/$1"
}
case "${BENCH:-quick}" in
  quick) bench bench --quick ;;
  full|table)  # the same runs; `table` leaves out the sweep over every kernel
    SWEEP=$([ "$BENCH" = full ] && echo --all-kernels)
    # shellcheck disable=SC2086
    bench bench_f16 --bits 4,3 --dtype f16 $SWEEP
    MIXGEMM_PDL=1 bench bench_f16_pdl --bits 4,3 --dtype f16
    # shellcheck disable=SC2086
    bench bench_bf16 --bits 4,3 --dtype bf16 $SWEEP ;;
  sm90) bench bench_sm90 --bits 4,3 --dtype f16 --all-kernels --kernels 'sm90_*' \
    --m 32,64,128,256 ;;
  0) ;;
  *) echo "BENCH=${BENCH}: quick, full, table, sm90 or 0"; exit 2 ;;
esac

if [ -n "${TIMELINE:-}" ]; then
  IFS=';' read -ra SPECS <<< "$TIMELINE"
  MISSING=()
  for spec in "${SPECS[@]}"; do
    name=$(echo "$spec" | awk '{print $1}')
    [ -x "build/timeline/$name" ] || MISSING+=("$name")
  done
  if [ "${#MISSING[@]}" -gt 0 ]; then
    step timeline_build python3 bench/timeline.py build $(printf '%s\n' "${MISSING[@]}" | sort -u)
  fi
  step timeline python3 bench/timeline.py run --out "$WORK/timeline" "${SPECS[@]}"
fi

echo
echo "=== summary ($(cat "$WORK/gpu.txt"))"
grep -E "passed|failed" "$WORK/logs/gpu_tests.log" | tail -1
if [ -f "$WORK/logs/build.log" ]; then
  echo "register spills reported by ptxas: $(grep -c "spill" "$WORK/logs/build.log")"
  # C7514: ptxas serialized a kernel's wgmma (bench/NOTES.md, session 16).
  echo "kernels with serialized wgmma (ptxas C7514): $(grep -c "C7514" "$WORK/logs/build.log")"
fi
[ -f "$WORK/logs/occupancy.log" ] && tail -1 "$WORK/logs/occupancy.log"
for name in "${ORDER[@]}"; do printf '%-14s %s\n' "$name" "${RESULT[$name]}"; done
for dir in "${BENCH_DIRS[@]}"; do
  [ -f "$WORK/$dir/summary.md" ] || continue
  echo "--- $dir"; grep -E "^\| (f16|bf16) int4" "$WORK/$dir/summary.md"
done
pack
