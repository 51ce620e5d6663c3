"""Blocks per SM of every kernel of a library, by registers and by shared memory (no GPU).

    python bench/occupancy.py [build/libmixgemm.so] [--name GLOB ...] [--all]

Reads each kernel's registers per thread from `cuobjdump -res-usage` and its threads and shared
memory from its config, and counts the blocks one Hopper SM holds by each, the way
cuda_occupancy.h does: registers are allocated per warp (in units of 256) from the register file
of the sub-partition (one of 4, 16384 registers each) the warp runs on, so a block of 9 warps at
98 registers fits once where 96 registers fit it twice (bench/NOTES.md, v93). No ptxas warning
says so. Lists the kernels whose registers hold fewer blocks than shared memory allows
(`--all`: every kernel) and exits with 1 if one of them is a kernel whose template asks ptxas
for the shared-memory count (`kMinBlocksPerSm`, sm90_gemm.cuh), where that should not happen.
"""
from __future__ import annotations

import argparse
import fnmatch
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("sass_mix", REPO / "bench/sass_mix.py")
sass_mix = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sass_mix)  # config_of: demangled instantiation -> KernelConfig

from codegen.config import KernelConfig  # noqa: E402
from codegen.enums import Arch  # noqa: E402

# Hopper (sm_90): H100 and H200.
REGISTERS_PER_SUBPARTITION = 16384
SUBPARTITIONS = 4
REGISTER_UNIT = 256  # per warp
MAX_WARPS_PER_SM = 64
MAX_BLOCKS_PER_SM = 32
SMEM_PER_SM = 228 * 1024
SMEM_RESERVED_PER_BLOCK = 1024
# sm90_gemm.cuh: the hint is given where it leaves a thread at least this many registers.
SM90_HINT_MIN_REGISTERS = 96

USAGE = re.compile(r"Function (\S+):\s*\n\s*REG:(\d+)")


def blocks_by_registers(registers: int, threads: int) -> int:
    """As blocks_per_sm_by_registers (stage_copy.cuh), with the SM's warp and block limits."""
    warps = -(-threads // 32)
    per_warp = -(-registers * 32 // REGISTER_UNIT) * REGISTER_UNIT
    warps_per_subpartition = REGISTERS_PER_SUBPARTITION // per_warp
    return min(warps_per_subpartition * SUBPARTITIONS // warps, MAX_WARPS_PER_SM // warps,
               MAX_BLOCKS_PER_SM)


def blocks_by_smem(smem_bytes: int) -> int:
    return max(1, SMEM_PER_SM // (smem_bytes + SMEM_RESERVED_PER_BLOCK))


def registers_for(blocks: int, threads: int) -> int:
    """Registers per thread that let `blocks` blocks of `threads` share an SM."""
    warps_per_subpartition = -(-blocks * threads // 32 // SUBPARTITIONS)
    return REGISTERS_PER_SUBPARTITION // warps_per_subpartition // 32 // 8 * 8


def hinted_blocks(cfg: KernelConfig) -> int:
    """The blocks per SM the template asks ptxas for; 0 where it gives no hint that this tool
    checks (the sm80 family's hint is shared memory's count or 1, sm80_gemm.cuh, and its tiles
    of 2-16 warps make the per-SM and per-sub-partition counts agree)."""
    if cfg.arch is not Arch.SM90:
        return 0
    smem = blocks_by_smem(cfg.smem_bytes)
    return smem if smem >= 2 and registers_for(smem, cfg.threads) >= SM90_HINT_MIN_REGISTERS else 0


def rows(res_usage: str, globs: list[str]) -> list[dict]:
    found = USAGE.findall(res_usage)
    demangled = subprocess.run(["c++filt"], input="\n".join(m for m, _ in found), text=True,
                               capture_output=True, check=True).stdout.splitlines()
    out = []
    for (_, regs), name in zip(found, demangled):
        cfg = sass_mix.config_of(name)
        if cfg is None or (globs and not any(fnmatch.fnmatchcase(cfg.name, g) for g in globs)):
            continue
        out.append({"kernel": cfg.name, "registers": int(regs), "threads": cfg.threads,
                    "by_registers": blocks_by_registers(int(regs), cfg.threads),
                    "by_smem": blocks_by_smem(cfg.smem_bytes), "hinted": hinted_blocks(cfg)})
    return sorted(out, key=lambda r: r["kernel"])


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("library", nargs="?", default=str(REPO / "build/libmixgemm.so"))
    p.add_argument("--name", action="append", default=[], help="kernel name glob (repeatable)")
    p.add_argument("--all", action="store_true", help="list every kernel")
    args = p.parse_args(argv)
    usage = subprocess.run(["cuobjdump", "-res-usage", args.library], text=True,
                           capture_output=True, check=True).stdout
    table = rows(usage, args.name)
    limited = [r for r in table if r["by_registers"] < r["by_smem"]]
    broken = [r for r in limited if r["hinted"] and r["by_registers"] < r["hinted"]]
    print(f"{'kernel':<56}{'regs':>5}{'threads':>8}{'by regs':>8}{'by smem':>8}{'hint':>5}")
    for r in table if args.all else limited:
        print(f"{r['kernel']:<56}{r['registers']:>5}{r['threads']:>8}{r['by_registers']:>8}"
              f"{r['by_smem']:>8}{r['hinted'] or '-':>5}" + ("  < hint" if r in broken else ""))
    print(f"{len(table)} kernels; registers hold fewer blocks per SM than shared memory allows "
          f"in {len(limited)}, fewer than the template's hint in {len(broken)}")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
