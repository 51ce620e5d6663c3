"""Instruction mix of each kernel's main loop, read from the SASS (no GPU needed).

    python bench/sass_mix.py [build/libmixgemm.so] [--name GLOB ...]

Needs `cuobjdump` (CUDA toolkit; also in the `nvidia-cuda-cuobjdump` wheel). For every kernel of
the library (named as in the manifest) it finds the main loop, the longest backward branch, and
counts its instructions per 32-bit weight word that one thread unpacks per loop iteration (one
K slice, or a round over the pipeline's slots), by the unit that executes them: on Hopper the
integer ALU pipe takes two cycles per warp instruction (16 lanes per SM sub-partition). A
static count shows what a mainloop change does to that budget before any GPU time is spent,
but not whether the budget is what binds. On the H200, bf16 decode is bound by the ALU pipe,
while fp16 4-bit decode did not change when a sixth of its instructions went
(bench/NOTES.md, session 22). The count includes the loop's path for partial slices, which
runs once per tile.
"""
from __future__ import annotations

import argparse
import collections
import fnmatch
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "python")]

from codegen.config import KernelConfig  # noqa: E402
from codegen.enums import PER_CHANNEL, ActDtype, Arch, Scheduler, WeightFormat  # noqa: E402

# Opcode (before the first dot) -> the unit that executes it.
UNITS = {
    "alu": {"LOP3", "SHF", "LEA", "ISETP", "SEL", "IADD3", "PRMT", "IABS", "IMNMX", "FSEL",
            "FSETP", "PLOP3", "P2R", "R2P", "VIADD", "VIMNMX", "BMSK", "SGXT", "FLO", "POPC"},
    "fma": {"FFMA", "FADD", "FMUL", "HADD2", "HFMA2", "HMUL2", "IMAD", "IMUL", "I2F", "F2F",
            "F2FP", "HSETP2"},
    "tensor": {"HMMA", "HGMMA", "IMMA", "WARPGROUP", "WARPSYNC"},
    "memory": {"LDS", "LDSM", "LDGSTS", "LDG", "STG", "STS", "LDC", "ATOM", "ATOMG", "RED",
               "LDGDEPBAR", "DEPBAR"},
}
LINE = re.compile(r"\s*/\*([0-9a-f]{4,})\*/\s+(.*?)\s*;")
KERNEL = re.compile(
    r"mixgemm::(Sm80|Sm90)Gemm<mixgemm::(F16|BF16), mixgemm::UniformUnpacker<mixgemm::\w+, "
    r"(\d+), (?:true|false)>, (\d+), (\d+), (\d+), (\d+), (\d+), mixgemm::(\w+)Scheduler"
    r"(?:, (\d+|true|false))?(?:, (true|false))?(?:, (true|false))?>")
SCHEDULERS = {"StreamK": Scheduler.STREAM_K, "SplitK": Scheduler.SPLIT_K,
              "DataParallel": Scheduler.DATA_PARALLEL, "ClusterSplitK": Scheduler.CLUSTER_SPLIT_K}


def config_of(demangled: str) -> KernelConfig | None:
    """The config a demangled gemm_kernel<...> instantiation was generated from."""
    m = KERNEL.search(demangled)
    if not m:
        return None
    family, act, bits, group, bm, bn, bk, stages, sched, last, tma, pw = m.groups()
    # The template arguments after the scheduler: Sm80Gemm's pipes, or Sm90Gemm's kBulkWeights,
    # kTmaActivations and kProducerWarp (demangled up to the last one that is set).
    pipes = int(last) if last and last.isdigit() else 1
    return KernelConfig(Arch.SM80 if family == "Sm80" else Arch.SM90, ActDtype(act.lower()),
                        WeightFormat.UNIFORM, int(bits), int(group) or PER_CHANNEL, int(bm),
                        int(bn), int(bk), int(stages), SCHEDULERS[sched], pipes=pipes,
                        bulk_weights=last == "true", tma_activations=tma == "true",
                        producer_warp=pw == "true")


def functions(sass: str) -> dict[str, list[tuple[int, str]]]:
    """Mangled function name -> [(address, instruction)] from `cuobjdump -sass` output."""
    out: dict[str, list[tuple[int, str]]] = {}
    current = None
    for line in sass.splitlines():
        if "Function :" in line:
            current = out.setdefault(line.split("Function :")[1].strip(), [])
        elif current is not None and (m := LINE.match(line)):
            current.append((int(m.group(1), 16), m.group(2)))
    return out


def opcode(instruction: str) -> str:
    return re.sub(r"^@!?U?P\w+\s+", "", instruction).split()[0].split(".")[0]


def main_loop(code: list[tuple[int, str]]) -> list[str]:
    """The K loop: the largest loop (predicated backward branch) that issues MMAs and holds no
    inner loop that does (Stream-K's persistent loop over tiles encloses it). Unconditional
    backward branches are left out: they are the compiler's returns from out-of-line code (the
    divergent path of a warp sync) into the loop, not loops."""
    def has_mma(begin, end):
        return any(begin <= a <= end and opcode(i) in UNITS["tensor"] for a, i in code)

    spans = []
    for addr, ins in code:
        if (opcode(ins) == "BRA" and ins.startswith("@")
                and (m := re.search(r"BRA (?:\S+ )?(0x[0-9a-f]+)", ins))):
            target = int(m.group(1), 16)
            if target < addr and has_mma(target, addr):
                spans.append((target, addr))
    inner = [(b, e) for b, e in spans
             if not any((b, e) != (b2, e2) and b <= b2 and e2 <= e for b2, e2 in spans)]
    if not inner:
        return []
    begin, end = max(inner, key=lambda span: span[1] - span[0])
    return [(addr, ins) for addr, ins in code if begin <= addr <= end]


def split_copier(loop: list[tuple[int, str]]) -> tuple[list[str], list[str]]:
    """(what every warp runs, what only the bulk-copy thread's warp runs): the second is the
    divergent branch (a BSSY ... BSYNC region) that issues bulk copies (UBLKCP), the sm90
    family's thread-0 copies (sm90_gemm.cuh, bulk_weights); the other warps skip it."""
    copier = set()
    for addr, ins in loop:
        if opcode(ins) == "BSSY" and (m := re.search(r"(0x[0-9a-f]+)\s*$", ins)):
            region = [(a, i) for a, i in loop if addr <= a < int(m.group(1), 16)]
            if any(opcode(i) == "UBLKCP" for _, i in region):
                copier.update(a for a, _ in region)
    return ([i for a, i in loop if a not in copier], [i for a, i in loop if a in copier])


def mix(loop: list[str]) -> dict[str, int]:
    counts = collections.Counter()
    for ins in loop:
        op = opcode(ins)
        unit = next((u for u, ops in UNITS.items() if op in ops), "uniform" if op.startswith("U")
                    else "other")
        counts[unit] += 1
    counts["all"] = len(loop)
    return dict(counts)


def words_per_thread(cfg: KernelConfig) -> float:
    """32-bit packed weight words one thread unpacks per K slice of its pipe."""
    return cfg.tile_k * cfg.tile_n * cfg.bits / 32 / cfg.pipe_threads


def mmas_per_slice(cfg: KernelConfig) -> float:
    """MMA instructions one warp issues per K slice: one wgmma per k16 step (sm90), or
    mma.m16n8k16 (2048 multiply-adds each, the swapped ones of tiles of at most 8 rows too, which
    compute 8) over the pipe's warps (sm80)."""
    if cfg.arch == Arch.SM90:
        return cfg.tile_k / 16
    rows = 8 if cfg.swap_ab else cfg.tile_m
    return rows * cfg.tile_n * cfg.tile_k / 2048 / (cfg.pipe_threads / 32)


def slices_per_iteration(loop: list[str], cfg: KernelConfig) -> int:
    """K slices one main-loop iteration computes: one, or a round over the pipeline's slots
    when the loop walks them as constants (for_each_slice, stage_copy.cuh)."""
    mmas = sum(opcode(i) in ("HMMA", "HGMMA") for i in loop)
    return max(1, round(mmas / mmas_per_slice(cfg)))


def report(sass: str, globs: list[str]) -> list[dict]:
    demangled = subprocess.run(["c++filt"], input="\n".join(functions(sass)), text=True,
                               capture_output=True, check=True).stdout.splitlines()
    rows = []
    for (mangled, code), name in zip(functions(sass).items(), demangled):
        cfg = config_of(name)
        if cfg is None or (globs and not any(fnmatch.fnmatchcase(cfg.name, g) for g in globs)):
            continue
        every_warp, copier = split_copier(main_loop(code))
        counts = mix(every_warp)
        words = words_per_thread(cfg) * slices_per_iteration(every_warp, cfg)
        rows.append({"kernel": cfg.name, **{k: v / words for k, v in counts.items()},
                     "loop": counts.get("all", 0), "copier": len(copier)})
    return sorted(rows, key=lambda r: r["kernel"])


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("library", nargs="?", default=str(REPO / "build/libmixgemm.so"))
    p.add_argument("--name", action="append", default=[], help="kernel name glob (repeatable)")
    args = p.parse_args(argv)
    sass = subprocess.run(["cuobjdump", "-sass", args.library], text=True, capture_output=True,
                          check=True).stdout
    units = ("all", "alu", "fma", "tensor", "memory", "uniform", "other")
    print(f"{'kernel':<44}{'loop':>6}{'copier':>7}" + "".join(f"{u:>9}" for u in units)
          + "   (instructions per weight word per thread)")
    for r in report(sass, args.name):
        print(f"{r['kernel']:<44}{r['loop']:>6}{r['copier']:>7}"
              + "".join(f"{r.get(u, 0):>9.1f}" for u in units))
    return 0


if __name__ == "__main__":
    sys.exit(main())
