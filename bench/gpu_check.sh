#!/usr/bin/env bash
# One call on a GPU machine: emit + build, GPU tests, C example, compute-sanitizer sample,
# benchmark; a summary table is printed last. Usage: `make gpu-check` (see README).
#   EMIT_ARGS  kernels to emit           (default: --arch sm80,sm90 --bits 3,4)
#   TARGETS    compile targets           (default: sm_90, the H100/H200)
#   BENCH_ARGS arguments of mixgemm.bench (default: --quick); BENCH=0 skips it
#   OUT        where logs and results go (default: gpu-check-out/)
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-$PWD/gpu-check-out}
LOGS=$OUT/logs  # bundled into $OUT/logs.tgz at the end (the device tool returns few files)
mkdir -p "$OUT" "$LOGS"
export PYTHONPATH="$PWD:$PWD/python${PYTHONPATH:+:$PYTHONPATH}" PYTHONUNBUFFERED=1
[ -d .cutlass/include/cute ] && export MIXGEMM_CUTLASS_DIR=${MIXGEMM_CUTLASS_DIR:-$PWD/.cutlass}
declare -A RESULT

step() {  # step NAME COMMAND...: run, log to $LOGS/NAME.log, remember pass/fail
  local name=$1; shift
  echo "=== $name: $*"
  local t0=$SECONDS
  "$@" 2>&1 | tee "$LOGS/$name.log"
  local rc=${PIPESTATUS[0]}
  RESULT[$name]="$([ "$rc" = 0 ] && echo pass || echo "FAIL (rc=$rc)") $((SECONDS - t0))s"
  return "$rc"
}

nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | tee "$OUT/gpu.txt"
step emit python3 -m codegen.cli emit ${EMIT_ARGS:---arch sm80,sm90 --bits 3,4} --targets "${TARGETS:-sm_90}" &&
step build python3 -m codegen.cli build -j "$(nproc)" || { echo "build failed"; exit 1; }
step gpu_tests python3 -m pytest -m gpu tests -q -rf --junitxml="$LOGS/gpu_tests.xml"
step c_example bash -c 'gcc -std=c99 -O1 -DMIXGEMM_EXAMPLE_WITH_CUDA -Ibuild/include \
  -I"$(dirname "$(dirname "$(command -v nvcc)")")/include" tests/c/example.c -Lbuild -lmixgemm \
  -L"$(dirname "$(dirname "$(command -v nvcc)")")/lib64" -lcudart -Wl,-rpath,"$PWD/build" \
  -o build/example && ./build/example'
step sanitizer compute-sanitizer --tool memcheck --error-exitcode 9 python3 tests/gpu_sanitize_sample.py
if [ "${BENCH:-1}" = 1 ]; then
  step bench python3 -m mixgemm.bench ${BENCH_ARGS:---quick} --out "$OUT/bench"
fi

echo
echo "=== summary ($(cat "$OUT/gpu.txt"))"
grep -E "passed|failed" "$LOGS/gpu_tests.log" | tail -1
echo "register spills reported by ptxas: $(grep -c "spill" "$LOGS/build.log" 2>/dev/null || echo 0)"
for name in emit build gpu_tests c_example sanitizer bench; do
  [ -n "${RESULT[$name]:-}" ] && printf '%-10s %s\n' "$name" "${RESULT[$name]}"
done
[ -f "$LOGS/bench.log" ] && tail -n 40 "$LOGS/bench.log"
tar czf "$OUT/logs.tgz" -C "$LOGS" . && rm -rf "$LOGS"
