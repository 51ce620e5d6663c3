"""Toolchain: where CUTLASS and nvcc are, the compiler flags (the one place they are set), and
running ninja."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = REPO_ROOT / "templates"
CUTLASS_ENV = "MIXGEMM_CUTLASS_DIR"

# Compile targets: name -> nvcc -gencode. sm_80 SASS does not run on an H100, so sm_90 is a
# target of the sm80 family too (the mma.sync/cp.async path is valid on Hopper).
TARGETS = {
    "sm_80": "-gencode=arch=compute_80,code=sm_80",
    "sm_86": "-gencode=arch=compute_86,code=sm_86",
    "sm_89": "-gencode=arch=compute_89,code=sm_89",
    "sm_90": "-gencode=arch=compute_90,code=sm_90",
    "compute_80": "-gencode=arch=compute_80,code=compute_80",  # PTX, JIT on newer GPUs
}
DEFAULT_TARGETS = ("sm_80", "sm_90")
# The sm90 family uses sm_90a-only instructions (wgmma): built for that target alone, and only
# when sm_90 is among the targets.
SM90A_GENCODE = "-gencode=arch=compute_90a,code=sm_90a"


def family_gencode(arch: str, targets: tuple[str, ...]) -> list[str]:
    """The -gencode flags of one kernel family's sources; api.cu and dispatch.cu take the sm80
    ones."""
    if arch == "sm90":
        if "sm_90" not in targets:
            raise ToolchainError(
                "sm90 kernels (wgmma) need the sm_90 target: add it to --targets, or emit "
                "--arch sm80 only")
        return [SM90A_GENCODE]
    return [TARGETS[t] for t in targets]


class ToolchainError(RuntimeError):
    pass


def cutlass_root(explicit: str | os.PathLike | None = None) -> Path:
    """CUTLASS source root (holding include/cute and include/cutlass).

    Order: the explicit option, $MIXGEMM_CUTLASS_DIR, then the nvidia-cutlass package.
    Either a source root or its include/ folder is accepted.
    """
    tried = []
    for cand in (explicit, os.environ.get(CUTLASS_ENV)):
        if cand:
            p = Path(cand).expanduser().resolve()
            for root in (p, p.parent):
                if (root / "include" / "cute").is_dir():
                    return root
            tried.append(str(p))
    try:
        import cutlass_library  # type: ignore

        p = Path(cutlass_library.source_path)
        if (p / "include" / "cute").is_dir():
            return p
        tried.append(str(p))
    except ImportError:
        tried.append("python package nvidia-cutlass (not installed)")
    raise ToolchainError(
        "CUTLASS headers not found (tried: " + ", ".join(tried) + "). Install them with "
        f"`pip install --no-deps nvidia-cutlass==4.2.0.0`, or point --cutlass-dir or "
        f"${CUTLASS_ENV} at a CUTLASS checkout or its include/ folder."
    )


def cutlass_version(root: Path) -> str:
    text = (root / "include" / "cutlass" / "version.h").read_text()
    parts = [re.search(rf"#define CUTLASS_{p} (\d+)", text) for p in ("MAJOR", "MINOR", "PATCH")]
    return ".".join(m.group(1) if m else "?" for m in parts)


def find_nvcc() -> str:
    for cand in (os.environ.get("NVCC"), shutil.which("nvcc"), "/usr/local/cuda/bin/nvcc"):
        if cand and Path(cand).exists():
            return str(cand)
    raise ToolchainError("nvcc not found: put it on PATH or set $NVCC")


def nvcc_version(nvcc: str) -> str:
    out = subprocess.run([nvcc, "--version"], capture_output=True, text=True, check=True).stdout
    m = re.search(r"release ([\d.]+), V([\d.]+)", out)
    return m.group(2) if m else out.strip().splitlines()[-1]


def parse_targets(text: str | None) -> tuple[str, ...]:
    if not text:
        return DEFAULT_TARGETS
    names = tuple(t.strip() for t in text.split(",") if t.strip())
    unknown = [t for t in names if t not in TARGETS]
    if unknown:
        raise ToolchainError(f"unknown target(s) {unknown}; known: {sorted(TARGETS)}")
    return names


def compile_flags(include_dirs: list[str], build_key: str) -> list[str]:
    """Flags of every source; the -gencode flags come per source (family_gencode)."""
    flags = [
        "-std=c++17",
        "-O3",
        # Without NDEBUG, CUTLASS/CuTe device asserts stay in and serialize the pipeline.
        "-DNDEBUG",
        "--expt-relaxed-constexpr",
        "-Xcompiler=-fPIC",
        "-Xcompiler=-fvisibility=hidden",
        "-lineinfo",
        # Local-memory spills in a mainloop cost far more than they save: make them visible.
        "-Xptxas=--warn-on-spills",
        f"-DMIXGEMM_BUILD_KEY={build_key}",
    ]
    flags += [f"-I{d}" for d in include_dirs]
    return flags


def link_flags(targets: tuple[str, ...]) -> list[str]:
    # -cudart static (nvcc's default, spelled out): the .so needs no CUDA library at load time,
    # so it loads with ctypes on machines without a GPU.
    gencode = [TARGETS[t] for t in targets] + ([SM90A_GENCODE] if "sm_90" in targets else [])
    return ["-shared", "-cudart", "static"] + gencode


def build_key(nvcc: str, cutlass: Path) -> str:
    text = f"nvcc {nvcc_version(nvcc)} cutlass {cutlass_version(cutlass)}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def run_ninja(generated_dir: Path, jobs: int | None = None, targets: list[str] | None = None,
              verbose: bool = False) -> None:
    ninja = shutil.which("ninja")
    if ninja is None:
        try:
            import ninja as ninja_pkg  # type: ignore

            ninja = str(Path(ninja_pkg.BIN_DIR) / "ninja")
        except ImportError as e:
            raise ToolchainError("ninja not found: `pip install ninja`") from e
    cmd = [ninja, "-C", str(generated_dir)]
    if jobs:
        cmd += ["-j", str(jobs)]
    if verbose:
        cmd.append("-v")
    cmd += targets or []
    # ninja prints [done/total] progress lines itself; they go straight to the terminal.
    result = subprocess.run(cmd, stdout=sys.stdout, stderr=sys.stderr)
    if result.returncode != 0:
        raise ToolchainError(f"ninja failed with exit code {result.returncode}")
