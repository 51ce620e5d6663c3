"""Where a kernel's time goes, block by block: build and run bench/timeline/timeline.cu.

    python3 bench/timeline.py build KERNEL...            # here (nvcc), into build/timeline/
    python3 bench/timeline.py run --out DIR "KERNEL K N M" ...   # on the GPU machine

KERNEL is a kernel name of the emitted library (e.g. sm80_f16_u4_g128_m16n64k128_s4_splitk);
its type and the compiler flags come from generated/ (run `codegen emit` first). `run` writes
DIR/<kernel>_<K>_<N>_<M>.txt (the probe's table) and .csv (every block's times).
"""

from __future__ import annotations

import argparse
import re
import shlex
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GENERATED = REPO / "generated"
OUT_DIR = REPO / "build" / "timeline"
SOURCE = REPO / "bench" / "timeline" / "timeline.cu"
# sm_90a runs both families on an H100/H200 (the sm90 family needs the "a" features).
GENCODE = "-gencode=arch=compute_90a,code=sm_90a"


def ninja_setting(name: str, generated: Path = GENERATED) -> str:
    text = (generated / "build.ninja").read_text()
    match = re.search(rf"^{name} = (.*)$", text, re.M)
    if not match:
        raise SystemExit(f"generated/build.ninja has no '{name}': run `codegen emit` first")
    return match.group(1)


def kernel_type(name: str, generated: Path = GENERATED) -> str:
    """The Gemm type the generated sources give `name` (their `using <name>_t = ...;`)."""
    pattern = re.compile(rf"^using {re.escape(name)}_t = (.*);$", re.M)
    for source in sorted(generated.glob("*/kernels_*.cu")):
        match = pattern.search(source.read_text())
        if match:
            return match.group(1)
    raise SystemExit(f"no kernel {name!r} in generated/ (emit it first)")


def compile_command(name: str, gemm_type: str | None = None, generated: Path = GENERATED,
                    out_dir: Path = OUT_DIR) -> list[str]:
    """nvcc's command for the probe of kernel `name`; writes its wrapper source to out_dir."""
    flags = []
    for flag in shlex.split(ninja_setting("cflags", generated)):
        if flag.startswith("-I") and not Path(flag[2:]).is_absolute():
            flag = "-I" + str((generated / flag[2:]).resolve())  # ninja runs in generated/
        if flag.startswith("-Xcompiler=-fvisibility"):
            continue
        flags.append(flag)
    # The type goes in through a source file: nvcc splits -D values at commas.
    wrapper = out_dir / f"{name}.cu"
    # The copies-only reference reuses the sm80 family's pipeline and split-K's pieces.
    copies = int(name.startswith("sm80_") and not name.endswith("_streamk"))
    wrapper.write_text(f"#define TIMELINE_GEMM {gemm_type or kernel_type(name, generated)}\n"
                       f'#define TIMELINE_NAME "{name}"\n#define TIMELINE_COPIES {copies}\n'
                       f'#include "{SOURCE}"\n')
    return [ninja_setting("nvcc", generated), *flags, GENCODE, str(wrapper), "-o",
            str(out_dir / name)]


def build(names: list[str], gemm_type: str | None = None) -> None:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for name in names:
        print(f"building {OUT_DIR / name}", flush=True)
        subprocess.run(compile_command(name, gemm_type), check=True)


def run(specs: list[str], out: Path, replays: int) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for spec in specs:
        name, K, N, M = spec.split()
        stem = f"{name}_{K}_{N}_{M}"
        cmd = [str(OUT_DIR / name), K, N, M, str(replays), str(out / f"{stem}.csv")]
        result = subprocess.run(cmd, capture_output=True, text=True)
        text = result.stdout + result.stderr
        (out / f"{stem}.txt").write_text(text)
        print(text, flush=True)
        if result.returncode:
            raise SystemExit(f"{stem}: exit {result.returncode}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="compile one probe per kernel (no GPU needed)")
    b.add_argument("kernels", nargs="+")
    b.add_argument("--type", help="a Gemm type to build under the (one) given name, e.g. a "
                   "config the catalog lacks: 'Sm80Gemm<mixgemm::F16, UniformUnpacker<"
                   "mixgemm::F16, 4, false>, 128, 16, 128, 128, 6, mixgemm::SplitKScheduler>'")
    r = sub.add_parser("run", help="run probes on the GPU")
    r.add_argument("specs", nargs="+", help='"KERNEL K N M"')
    r.add_argument("--out", type=Path, required=True)
    r.add_argument("--replays", type=int, default=20)
    args = parser.parse_args(argv)
    if args.cmd == "build":
        if args.type and len(args.kernels) != 1:
            parser.error("--type names one kernel")
        build(args.kernels, args.type)
    else:
        run(args.specs, args.out, args.replays)


if __name__ == "__main__":
    sys.exit(main())
