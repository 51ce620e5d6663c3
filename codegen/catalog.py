"""The default kernel catalog per family, the CLI filters over it, and pruning.

``select()`` is the single place that turns user filters into the list of configs that
``emit`` writes; configs that cannot work are returned separately with their reasons so that
the CLI reports them instead of dropping them silently.
"""

from __future__ import annotations

import dataclasses
import fnmatch
from typing import Iterable, NamedTuple, Sequence

from .config import KernelConfig
from .enums import PER_CHANNEL, ActDtype, Arch, Scheduler, WeightFormat

SK, SPLIT, DP = Scheduler.STREAM_K, Scheduler.SPLIT_K, Scheduler.DATA_PARALLEL
CLUSTER = Scheduler.CLUSTER_SPLIT_K


class Tile(NamedTuple):
    """The shape part of a config: tile, pipeline depth, scheduler, pipes per block, weight
    copy."""

    m: int
    n: int
    k: int
    stages: int
    scheduler: Scheduler
    pipes: int = 1
    bulk_weights: bool = False
    tma_activations: bool = False
    producer_warp: bool = False


# Tiles per family, for each batch regime.
DEFAULT_TILES: dict[Arch, tuple[Tile, ...]] = {
    Arch.SM80: tuple(Tile(*t) for t in (
        (16, 128, 128, 4, SK),  # decode, M <= 16: weight streaming, deep pipeline
        (16, 128, 128, 4, SPLIT),  # decode, small layers: no block crosses a tile
        (16, 128, 256, 3, SK),  # decode: twice the bytes per stage, 3 blocks per SM
        (16, 128, 256, 3, SPLIT),
        (16, 256, 128, 4, SK),  # decode: 8 warps, each A fragment feeds more columns
        (16, 64, 128, 4, SPLIT),  # decode: 2 warps per block meet at each barrier
        # Decode, split-K inside the block: the pipes' sums meet in shared memory, not through
        # a workspace at the end of the kernel (~2 us at M = 1 on H100). 16x32 with one warp
        # per pipe; with 1 or 2 pipes it was never the heuristic's pick in the H200 runs
        # (session 13) and left the catalog, as did 8x32 with one pipe.
        (16, 32, 128, 4, SPLIT, 4),  # 2 blocks per SM: 256 tiles (N = 8192) need no workspace
        (16, 32, 128, 3, SPLIT, 8),  # 1 block per SM: 128 tiles (N = 4096) need none
        (16, 64, 128, 3, SPLIT, 4),  # 2 blocks per SM: 320 tiles (N = 10240) in one wave
        # 16 rows, 256-deep slices with pipes (within the A100's 163 KB): on an H200 at M = 16
        # 2-4% faster than the tiles above on 70B down, o_proj and qkv (bench/NOTES.md,
        # session 18).
        (16, 32, 256, 2, SPLIT, 4),
        (16, 32, 256, 3, SPLIT, 4),
        (16, 64, 256, 2, SPLIT, 4),
        (16, 128, 128, 3, SPLIT, 4),
        (16, 128, 256, 2, SPLIT, 2),  # 100 KB: 2 blocks per H100 SM
        # Decode, M <= 8: 8-row tiles with the MMA operands swapped (Sm80Gemm::kSwapAB), half
        # the MMAs, ldmatrix and activation copies of the 16-row tiles above.
        (8, 32, 128, 4, SPLIT, 4),
        (8, 32, 128, 3, SPLIT, 8),  # 101 KB: 2 blocks per H100 SM
        (8, 32, 128, 4, SPLIT, 8),  # 135 KB: 1 block per SM, deeper (8B down: up to 7% faster)
        # 16 one-warp pipes, each over half the K of an 8-pipe block's: on 8B down (N = 4096,
        # K = 14336) 2-5% faster at M <= 8 on an H200; elsewhere no gain (bench/NOTES.md,
        # session 14: more warps per SM do not lift the small layers).
        (8, 32, 128, 2, SPLIT, 16),  # 135 KB
        (8, 64, 128, 4, SPLIT),
        (8, 64, 128, 4, SPLIT, 2),
        (8, 128, 256, 3, SK),
        # 128 columns in 2 pipes: wide layers (8B gate_up, 70B qkv and down) at M <= 8, 4-10%
        # faster on an H200 (session 18).
        (8, 128, 256, 2, SPLIT, 2),
        (8, 128, 256, 3, SPLIT, 2),
        # 256-deep slices: each thread unpacks twice the codes per K iteration, over which the
        # iteration's fixed work (stage wait, copy issue, ldmatrix, scale loads) is spread;
        # 16-21% fewer loop instructions per word; on an H200 2-6% faster at M <= 8 for 11 of
        # the 16 (shape, bits) pairs, f16 (bench/NOTES.md, session 13).
        (8, 32, 256, 3, SPLIT, 4),
        (8, 32, 256, 2, SPLIT, 8),  # 130 KB; 8B down at 3 bits: 3-7% faster (session 14)
        (8, 64, 256, 3, SPLIT, 2),
        (8, 64, 256, 3, SPLIT, 4),
        # Narrow decode tiles: stages of 1 or 4 activation rows instead of 8 with zero fill,
        # repeated by ldmatrix into the MMA's 8 (Sm80Gemm::kAccumRows). The freed shared
        # memory buys 256-deep slices at the same warps per SM (1x32x256: 23% fewer loop
        # instructions per 3-bit word than 8x32x128). On an H200 at M = 1-4, 3-7% faster than
        # the best 8-row tile on the 70B shapes and 8B qkv at 3 bits (bench/NOTES.md, session
        # 24: v110).
        (1, 32, 256, 3, SPLIT, 8),
        (4, 32, 128, 3, SPLIT, 8),
        (4, 32, 256, 2, SPLIT, 8),
        (4, 128, 256, 2, SPLIT, 2),
        (32, 128, 128, 4, SK),  # M <= 32
        (32, 128, 128, 4, SPLIT),  # M <= 32: Stream-K's fix-up tail is ~4.6 us (timeline)
        (64, 128, 64, 4, SK),  # M <= 64
        (64, 128, 64, 4, DP),  # M > 64, many tiles: no fix-up traffic
    )),
    # wgmma: tile_m is the wgmma N (activation rows), tile_n = 64 per warpgroup. With cp.async
    # copies, 128-deep slices of the 128- and 256-row tiles spill registers (ptxas 13.0).
    Arch.SM90: tuple(Tile(*t) for t in (
        # The first copy path, cp.async from every thread: kept as the reference for the
        # others. Its other tiles (64- and 128-row 64-deep, 256-row, split-K) were never the
        # fastest in a cell of the H200 runs and left the catalog (bench/NOTES.md, session 11);
        # any of them can still be built by name (`codegen emit --kernel`).
        (64, 256, 128, 4, SK),  # M = 33..64: 4 warpgroups share each activation slice
        # Weights and scales by bulk copies (sm90_gemm.cuh, kBulkWeights): 27-50% fewer
        # instructions per packed word in the K loop (bench/sass_mix.py), which also leaves
        # room for 128-deep slices at 128 and 256 rows without spills; 2-11% faster than the
        # cp.async tiles on an H200 (bench/NOTES.md, session 9).
        (64, 256, 128, 4, SK, 1, True),
        (64, 256, 128, 4, SPLIT, 1, True),
        (128, 256, 128, 4, SK, 1, True),
        (256, 128, 128, 3, SK, 1, True),  # M > 256 (prefill)
        # And the activations by TMA (kTmaActivations): no per-thread activation copies and no
        # proxy fence per slice, 5% and 4% of the 64-row bulk kernel's time on an H200
        # (leave-one-out, bench/NOTES.md, session 9); 2-4% faster than the best other sm90
        # tile on an H200 at M = 32-256 (session 10).
        (64, 256, 128, 4, SK, 1, True, True),
        (64, 256, 128, 4, SPLIT, 1, True, True),
        (128, 256, 128, 4, SK, 1, True, True),
        # And every copy issued by a producer warp (kProducerWarp), which frees the computing
        # warps of copy work and of the block-wide barrier per slice: 3-5% faster at 64 rows,
        # and with 3 or 2 warpgroups 3-9% at 128 rows, on an H200 (bench/NOTES.md, session
        # 11). Four warpgroups and the producer (17 warps) leave each thread 96 registers: the
        # 128-row and split-K 256-column tiles lose there (-2%, and spills), so those keep
        # thread 0 as their copier.
        (64, 256, 128, 4, SK, 1, True, True, True),
        (64, 192, 128, 4, SK, 1, True, True, True),
        (128, 192, 128, 4, SK, 1, True, True, True),
        (128, 128, 128, 4, SK, 1, True, True, True),
        # 32 activation rows (wgmma N = 32) for M = 17..32: the 64-row tiles' unpack work per
        # weight and half their tensor work. On an H200 at M = 32 they beat the best sm80 tile
        # by 5-12% on 6 of the 8 shapes; 16 rows lose to the sm80 tiles (1.15-1.5x their time;
        # bench/NOTES.md, session 12).
        (32, 256, 128, 4, SPLIT, 1, True, True),
        (32, 256, 128, 4, SK, 1, True, True, True),
        # 256-deep slices spread the per-slice work (barrier wait, scale loads, stage
        # addresses) over twice the codes: 10-16% fewer instructions per word; on an H200 4-10%
        # faster at M = 32 on the 70B shapes, 2-3% at M = 64 (bench/NOTES.md, session 13).
        (32, 256, 256, 4, SPLIT, 1, True, True),
        (32, 256, 256, 4, SK, 1, True, True, True),
        (64, 256, 256, 3, SK, 1, True, True, True),
        # Cluster split-K: a tile's pieces add their sums in distributed shared memory, with
        # no workspace round trip; on an H200 the small layers (8B o_proj, qkv, down; 70B
        # o_proj, qkv) at M = 64-256 run 5-23% faster than with the best Stream-K or split-K
        # tile, and 8B gate_up at M = 16-32 3-10% (bench/NOTES.md, session 17).
        (16, 256, 256, 4, CLUSTER, 1, True, True, True),
        (32, 256, 256, 4, CLUSTER, 1, True, True, True),
        (64, 192, 128, 4, CLUSTER, 1, True, True, True),
        (64, 256, 256, 3, CLUSTER, 1, True, True, True),
        # Narrower ones: two to four times the tiles, so that more clusters share a layer of
        # 4096-8192 columns; on an H200 6-16% faster than the 256-column tiles on 70B o_proj
        # at M = 32-64 and on 8B o_proj and down at M = 32-128 (session 18).
        (16, 128, 256, 4, CLUSTER, 1, True, True, True),
        (32, 64, 256, 4, CLUSTER, 1, True, True, True),
        (32, 128, 256, 3, CLUSTER, 1, True, True, True),
        (32, 128, 256, 4, CLUSTER, 1, True, True, True),
        (32, 192, 256, 4, CLUSTER, 1, True, True, True),
        (64, 64, 256, 4, CLUSTER, 1, True, True, True),
        (64, 128, 128, 4, CLUSTER, 1, True, True, True),
        (64, 128, 256, 3, CLUSTER, 1, True, True, True),
        (64, 128, 256, 4, CLUSTER, 1, True, True, True),
        (128, 128, 128, 4, CLUSTER, 1, True, True, True),
        (128, 192, 128, 4, CLUSTER, 1, True, True, True),
        (128, 256, 128, 4, CLUSTER, 1, True, True),
    )),
}
DEFAULT_BITS: dict[Arch, tuple[int, ...]] = {Arch.SM80: (3, 4), Arch.SM90: (3, 4)}
SUPPORTED_BITS: dict[Arch, tuple[int, ...]] = {
    Arch.SM80: (2, 3, 4, 5, 6, 7, 8),
    Arch.SM90: (2, 3, 4, 5, 6, 7, 8),
}
DEFAULT_GROUPS = (32, 64, 128, PER_CHANNEL)
DEFAULT_DTYPES = (ActDtype.F16, ActDtype.BF16)


@dataclasses.dataclass(frozen=True)
class Selection:
    configs: tuple[KernelConfig, ...]  # sorted by name, no duplicates
    pruned: tuple[tuple[KernelConfig, tuple[str, ...]], ...]  # with the reasons


def parse_group(text: str) -> int:
    text = text.strip().lower()
    if text in ("ch", "channel", "per-channel", "0", "-1"):
        return PER_CHANNEL
    value = int(text)
    if value <= 0:
        raise ValueError(f"group size {text!r}: positive integer or 'ch'")
    return value


def catalog(
    arch: Arch,
    bits: Iterable[int] | None = None,
    groups: Iterable[int] | None = None,
    dtypes: Iterable[ActDtype] | None = None,
) -> list[KernelConfig]:
    """Every default config of a family for the given bits/groups/dtypes (None: defaults)."""
    out = []
    for act in dtypes or DEFAULT_DTYPES:
        for b in bits or DEFAULT_BITS[arch]:
            for g in groups if groups is not None else DEFAULT_GROUPS:
                for t in DEFAULT_TILES[arch]:
                    out.append(KernelConfig(arch, act, WeightFormat.UNIFORM, b, g, t.m, t.n,
                                            t.k, t.stages, t.scheduler, t.pipes,
                                            t.bulk_weights, t.tma_activations,
                                            t.producer_warp))
    return out


def select(
    archs: Sequence[Arch] = tuple(Arch),
    bits: Sequence[int] | None = None,
    groups: Sequence[int] | None = None,
    dtypes: Sequence[ActDtype] | None = None,
    globs: Sequence[str] = (),
    extra: Sequence[KernelConfig] = (),
) -> Selection:
    """Filter the catalog (plus `extra` configs, e.g. named on the command line) and prune."""
    candidates: dict[str, KernelConfig] = {}
    for arch in archs:
        for b in bits or ():
            if b not in SUPPORTED_BITS[arch]:
                raise ValueError(
                    f"--bits {b}: family {arch.value} supports {list(SUPPORTED_BITS[arch])}"
                )
        for cfg in catalog(arch, bits, groups, dtypes):
            candidates[cfg.name] = cfg
    for cfg in extra:
        candidates[cfg.name] = cfg
    if globs:
        candidates = {
            n: c for n, c in candidates.items() if any(fnmatch.fnmatchcase(n, g) for g in globs)
        }
    keep, pruned = [], []
    for name in sorted(candidates):
        cfg = candidates[name]
        problems = cfg.problems()
        if problems:
            pruned.append((cfg, tuple(problems)))
        else:
            keep.append(cfg)
    return Selection(tuple(keep), tuple(pruned))
