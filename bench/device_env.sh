# Sourced by the scripts that run on a lent GPU machine (bench/*.sh, step run.sh files). The
# machine starts bare with a copy of the working tree, so every such script needs the same
# three things: the repository root as its working directory, the in-tree packages importable
# without an install, and the nvidia-cutlass headers from the wheel carried in .whl/.
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PYTHONPATH="$PWD:$PWD/python" PYTHONUNBUFFERED=1
python3 -m pip install -q --no-deps .whl/nvidia_cutlass-*.whl > /dev/null 2>&1

# use_library DIR: point the binding and the tests at the library in DIR (libmixgemm.so and
# manifest.json, as bench/build_subset.sh writes them).
use_library() {
  local dir
  dir=$(realpath "$1")
  export MIXGEMM_LIBRARY=$dir/libmixgemm.so MIXGEMM_MANIFEST=$dir/manifest.json
}
# use_subset_library DIR "TILE ..." BITS DTYPES GROUPS: build those kernels into DIR
# (bench/build_subset.sh) and use that library.
use_subset_library() {
  bash bench/build_subset.sh "$@" && use_library "$1"
}
