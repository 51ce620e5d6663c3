"""KernelConfig: one kernel instantiation, and the name grammar that is its identity.

Name grammar (every part is lower case, parts joined by ``_``)::

    {arch}_{act}_{format}{bits}_g{group}_m{BM}n{BN}k{BK}_s{stages}[_p{pipes}][_bulk[_tma[_pw]]]_{scheduler}

    arch       sm80 | sm90               kernel family: sm80 (mma.sync, A100 and later) or
                                         sm90 (wgmma, sm_90a: H100/H200 only)
    act        f16 | bf16                activation / scale / output dtype
    format     u                         u = symmetric uniform codes
    bits       2..8                      weight bit width
    group      32 | 64 | 128 | ... | ch  rows of K sharing one scale; ch = per output channel
    BM,BN,BK   threadblock tile          M rows x N columns x K depth per pipeline stage
                                         (BM = 8: sm80 family, MMA operands swapped)
    stages     2..8                      cp.async pipeline depth
    pipes      2 | 4 | 8 | 16 (absent: 1) pipelines per block, each over its own K range of
                                         the tile, their sums added in shared memory (split-K
                                         inside a block; sm80 family, splitk scheduler)
    bulk       (absent: cp.async)        packed weights and scales copied to shared memory by
                                         one thread's bulk copies (the Hopper copy engine)
                                         instead of every thread's cp.async (sm90 family)
    tma        (absent: activations by   with bulk: the activations too, by the copy engine
                cp.async)                (one TMA box per 64-deep column block; sm90 family)
    pw         (absent: thread 0 of the  with tma: one extra warp issues every copy and
                computing warps copies)  computes nothing; "empty" barriers per stage instead
                                         of a block-wide barrier per K slice (sm90 family)
    scheduler  dp | streamk | splitk     tile scheduler (see enums.Scheduler; clusterk: sm90
               | clusterk                family, pieces of a tile added in a block cluster)

Examples: ``sm80_f16_u4_g128_m16n256k64_s4_dp``, ``sm80_f16_u4_g128_m16n32k128_s4_p4_splitk``. ``parse_name(cfg.name) == cfg`` always holds;
nothing else in the project splits a name.
"""

from __future__ import annotations

import dataclasses
import re

from .enums import PER_CHANNEL, ActDtype, Arch, Scheduler, WeightFormat

_NAME_RE = re.compile(
    r"^(?P<arch>sm\d+)_(?P<act>f16|bf16)_(?P<fmt>[a-z])(?P<bits>\d)_g(?P<group>\d+|ch)"
    r"_m(?P<bm>\d+)n(?P<bn>\d+)k(?P<bk>\d+)_s(?P<stages>\d+)(?:_p(?P<pipes>\d+))?"
    r"(?P<bulk>_bulk)?(?P<tma>_tma)?(?P<pw>_pw)?_(?P<sched>[a-z]+)$"
)

# Rows of K that one 32-bit-per-lane packing unit spans (see python/mixgemm/pack.py).
PACK_K = 64
# Columns of N that one packing unit spans: two n8 MMA tiles.
PACK_N = 16


class ConfigError(ValueError):
    """A name or a set of fields that does not describe a valid config."""


@dataclasses.dataclass(frozen=True, order=True)
class KernelConfig:
    arch: Arch
    act: ActDtype
    fmt: WeightFormat
    bits: int
    group: int  # PER_CHANNEL (0) or rows of K per scale
    tile_m: int
    tile_n: int
    tile_k: int
    stages: int
    scheduler: Scheduler
    pipes: int = 1  # pipelines per block (split-K inside a block), see the name grammar
    bulk_weights: bool = False  # weights and scales by bulk copies, see the name grammar
    tma_activations: bool = False  # and the activations by TMA (needs bulk_weights)
    producer_warp: bool = False  # all copies issued by a warp of their own (needs TMA)

    # ---- identity -------------------------------------------------------------------------
    @property
    def name(self) -> str:
        group = "ch" if self.group == PER_CHANNEL else str(self.group)
        return (
            f"{self.arch.value}_{self.act.value}_{self.fmt.value}{self.bits}_g{group}"
            f"_m{self.tile_m}n{self.tile_n}k{self.tile_k}_s{self.stages}"
            f"{f'_p{self.pipes}' if self.pipes != 1 else ''}"
            f"{'_bulk' if self.bulk_weights else ''}{'_tma' if self.tma_activations else ''}"
            f"{'_pw' if self.producer_warp else ''}"
            f"_{self.scheduler.value}"
        )

    # ---- derived warp layout (sm80: mirrors Sm80Gemm; sm90: one warpgroup per 64 columns) ----
    @property
    def warp_tile_m(self) -> int:
        return min(self.tile_m, 64)

    @property
    def warps_m(self) -> int:
        return self.tile_m // self.warp_tile_m

    @property
    def warps_n(self) -> int:
        return max(1, min(self.tile_n // 32, 8 // self.warps_m))

    @property
    def warp_tile_n(self) -> int:
        return self.tile_n // self.warps_n

    @property
    def pipe_threads(self) -> int:
        """Threads of one pipeline (the whole block unless pipes > 1)."""
        if self.arch is Arch.SM90:
            return 128 * (self.tile_n // 64)
        return 32 * self.warps_m * self.warps_n

    @property
    def threads(self) -> int:
        """Threads per block (with a producer warp: the computing threads and that warp)."""
        return self.pipe_threads * self.pipes + (32 if self.producer_warp else 0)

    @property
    def scale_rows_per_stage(self) -> int:
        if self.group == PER_CHANNEL:
            return 0  # per-channel scales are applied in the epilogue
        return self.tile_k // self.group if self.group < self.tile_k else 1

    @property
    def smem_bytes(self) -> int:
        """Dynamic shared memory of the kernel; the rendered .cu static_asserts the same."""

        def round128(x: int) -> int:
            return (x + 127) // 128 * 128

        a = round128(self.tile_m * self.tile_k * 2)
        b = round128(self.tile_k * self.tile_n * self.bits // 8)
        s = round128(self.scale_rows_per_stage * self.tile_n * 2)
        if self.arch is Arch.SM90:  # stages 1024-aligned for the 128-byte swizzle, the
            # stages' bulk-copy barriers (8 bytes each, two per stage with a producer warp, in
            # 64-byte units), slack for the alignment
            barriers = self.stages * 8 * (2 if self.producer_warp else 1)
            return (self.stages * ((a + b + s + 1023) // 1024 * 1024)
                    + (barriers + 63) // 64 * 64 + 1024)
        return self.pipes * self.stages * (a + b + s)

    @property
    def scale_in_accumulators(self) -> bool:
        """Group scales applied to fp32 partial sums once per group instead of to every weight
        pair: cheaper when the warp tile has few rows (mirrors Sm80Gemm::kScaleInAccum and
        Sm90Gemm::kScaleInAccum)."""
        if self.group == PER_CHANNEL:
            return False
        if self.arch is Arch.SM90:
            # 16- and 32-row tiles with 256-deep slices; groups of at least as many k16 steps
            # as wgmma in flight (4), an even number of them per slice.
            steps, group_steps = self.tile_k // 16, min(self.group, self.tile_k) // 16
            return (self.tile_m <= 32 and self.tile_k >= 256 and group_steps >= 4
                    and steps % (2 * group_steps) == 0)
        return self.swap_ab or (self.warp_tile_m // 16) * 32 < self.group

    @property
    def swap_ab(self) -> bool:
        """Tiles of at most 8 rows run the MMA with the weights as its A operand (mirrors
        Sm80Gemm::kSwapAB): half the MMAs and activation traffic of a 16-row tile at M <= 8.
        Narrow ones (1, 2 or 4 rows) keep only their rows in each stage."""
        return self.arch is Arch.SM80 and self.tile_m <= 8

    @property
    def unpacker_cpp(self) -> str:
        """The C++ unpacker (the format seam, templates/include/mixgemm/unpack.cuh)."""
        in_mainloop = self.group != PER_CHANNEL and not self.scale_in_accumulators
        return f"UniformUnpacker<{self.act.cpp_tag}, {self.bits}, {str(in_mainloop).lower()}>"

    @property
    def accumulators_per_thread(self) -> int:
        """fp32 accumulator registers per thread, the per-group partial sums included."""
        if self.arch is Arch.SM90:
            # wgmma m64 x tile_m over 128 threads; with scale_in_accumulators two partial sets
            return self.tile_m // 2 * (3 if self.scale_in_accumulators else 1)
        # (kSwapAB: the MMA's 8 rows, also for narrow tiles)
        per_set = (8 if self.swap_ab else self.warp_tile_m) * self.warp_tile_n // 32
        return per_set * (2 if self.scale_in_accumulators else 1)

    def problems(self) -> list[str]:
        """Why this config cannot work (empty when it can). Checked before nvcc."""
        out = []
        if self.arch is Arch.SM90:
            out += self._sm90_problems()
        if not 2 <= self.bits <= 8:
            out.append(f"bits={self.bits}: uniform codes need 2..8 bits")
        if self.tile_m not in (1, 2, 4, 8, 16, 32, 64, 128, 256):
            out.append(f"tile_m={self.tile_m}: must be 1, 2, 4, 8, 16, 32, 64, 128 or 256")
        elif self.arch is Arch.SM80 and (self.tile_m * self.tile_k // 8) % self.pipe_threads:
            # Sm80Gemm::load_slice_activations: every thread copies the same number of A chunks.
            out.append(f"tile {self.tile_m}x{self.tile_n}x{self.tile_k}: its "
                       f"{self.tile_m * self.tile_k // 8} activation chunks per slice do not "
                       f"split evenly over {self.pipe_threads} threads")
        if self.tile_k % PACK_K:
            out.append(f"tile_k={self.tile_k}: must be a multiple of {PACK_K} (packing unit)")
        if self.tile_n % 32 or self.warp_tile_n % PACK_N:
            out.append(f"tile_n={self.tile_n}: warp tile {self.warp_tile_n} not a multiple of 16")
        if self.group != PER_CHANNEL:
            if self.group % 32:
                out.append(f"group={self.group}: must be a multiple of 32 or per-channel")
            elif self.group < self.tile_k and self.tile_k % self.group:
                out.append(f"group={self.group} does not divide tile_k={self.tile_k}")
            elif self.group >= self.tile_k and self.group % self.tile_k:
                out.append(f"tile_k={self.tile_k} does not divide group={self.group}")
        if not 2 <= self.stages <= 8:
            out.append(f"stages={self.stages}: must be 2..8")
        if self.pipes not in (1, 2, 4, 8, 16):
            out.append(f"pipes={self.pipes}: must be 1, 2, 4, 8 or 16")
        elif self.pipes == 16 and self.pipe_threads != 32:
            # Pipes of several warps each take a named barrier (1 + pipe; the SM has 16).
            out.append("pipes=16: only with one-warp pipes (named barriers 1..15)")
        elif self.pipes > 1 and (self.arch is not Arch.SM80
                                 or self.scheduler is not Scheduler.SPLIT_K):
            out.append(f"pipes={self.pipes}: several pipes per block need the sm80 family and "
                       "the splitk scheduler")
        if self.scheduler is Scheduler.CLUSTER_SPLIT_K:
            out += self._cluster_problems()
        if self.bulk_weights and self.arch is not Arch.SM90:
            out.append("bulk weight copies: the sm90 family only")
        if self.tma_activations and not self.bulk_weights:
            out.append("TMA activations: only with bulk weight copies (their barriers)")
        if self.producer_warp and not self.tma_activations:
            out.append("a producer warp: only with TMA activations (every copy on the copy "
                       "engine)")
        if self.bulk_weights and not self.tma_activations and self.arch is Arch.SM90:
            # Sm90Gemm::copy_activations: each thread copies whole passes over the tile's rows.
            t = self.pipe_threads
            if (self.tile_m * self.tile_k // 8) % t or self.tile_m % (t // 8):
                out.append(f"tile {self.tile_m}x{self.tile_n}: {t} threads do not copy the "
                           "activations in whole passes over the rows (bulk weights without TMA)")
        max_threads = 512
        computing = self.pipe_threads * self.pipes  # a producer warp comes on top
        if computing > max_threads:
            out.append(f"{computing} computing threads per block: at most {max_threads}")
        # sm80: a 64x64 warp tile (128 accumulators) spilled to local memory under ptxas 13.0.
        limit = 128 if self.arch is Arch.SM90 else 64
        if self.accumulators_per_thread > limit:
            out.append(
                f"{self.accumulators_per_thread} fp32 accumulators per thread: at most {limit} "
                "(register spills)"
            )
        # Opt-in shared memory per block: sm_80 (A100, where the sm80 family also runs) allows
        # 163 KB, sm_90 (H100/H200) 227 KB.
        limit_kb = 227 if self.arch is Arch.SM90 else 163
        if self.smem_bytes > limit_kb * 1024:
            out.append(f"shared memory {self.smem_bytes} B exceeds the {self.arch.value} limit "
                       f"of {limit_kb} KB")
        return out

    def _sm90_problems(self) -> list[str]:
        out = []
        if self.tile_m not in (8, 16, 32, 64, 128, 256):
            out.append(f"tile_m={self.tile_m}: the sm90 family needs 8, 16, 32, 64, 128 or 256 "
                       "(wgmma N)")
        elif self.tile_m == 8 and not self.tma_activations:
            # Only the copy engine's boxes were built and tested for wgmma n8; the threads' own
            # activation copies assume 16 rows or more.
            out.append("tile_m=8: the sm90 family's 8-row tiles need TMA activations (`_tma`)")
        if self.tile_n % 64:
            out.append(f"tile_n={self.tile_n}: the sm90 family needs a multiple of 64 "
                       "(one warpgroup per 64 weight columns)")
        # Sm90Gemm::kPrefetch: the computing threads' own copies keep stages - 2 slices in
        # flight; a producer warp keeps every stage in flight.
        min_stages = 2 if self.producer_warp else 3
        if self.stages < min_stages:
            out.append(f"stages={self.stages}: the sm90 pipeline needs at least {min_stages}"
                       + ("" if self.producer_warp else " without a producer warp (`_pw`)"))
        return out

    def _cluster_problems(self) -> list[str]:
        if self.arch is not Arch.SM90:
            return ["the clusterk scheduler: the sm90 family only (thread block clusters)"]
        # Sm90Gemm::write_sums: a piece's sums, rows of BN + 4 floats, over the free stages.
        sums = self.tile_m * (self.tile_n + 4) * 4
        stages = self.smem_bytes - 64 - 1024  # the stages alone (see smem_bytes)
        if sums > stages:
            return [f"clusterk: a piece's {sums} B of sums exceed the {stages} B of stages"]
        # ptxas 13.0 spilled 12 bytes there (bf16, 4 bits; bench/NOTES.md, session 17); the
        # rule's next choice serves that group. (With fewer columns, fewer warpgroups share
        # the register file: no spills.)
        if (self.tile_m, self.tile_n, self.tile_k, self.producer_warp, self.group) == (
                32, 256, 256, True, 64):
            return ["clusterk: 32x256x256 with a producer warp at group 64 spills registers"]
        return []

    def as_manifest(self) -> dict:
        return {
            "name": self.name,
            "arch": self.arch.value,
            "act": self.act.value,
            "format": self.fmt.value,
            "bits": self.bits,
            "group": self.group,
            "tile": [self.tile_m, self.tile_n, self.tile_k],
            "stages": self.stages,
            "scheduler": self.scheduler.value,
            "pipes": self.pipes,
            "bulk_weights": self.bulk_weights,
            "tma_activations": self.tma_activations,
            "producer_warp": self.producer_warp,
            "threads": self.threads,
            "smem_bytes": self.smem_bytes,
        }


def parse_name(name: str) -> KernelConfig:
    """Invert ``KernelConfig.name``. Raises ConfigError on anything else."""
    m = _NAME_RE.match(name)
    if not m:
        raise ConfigError(f"not a mixgemm kernel name: {name!r}")
    try:
        cfg = KernelConfig(
            arch=Arch(m["arch"]),
            act=ActDtype(m["act"]),
            fmt=WeightFormat(m["fmt"]),
            bits=int(m["bits"]),
            group=PER_CHANNEL if m["group"] == "ch" else int(m["group"]),
            tile_m=int(m["bm"]),
            tile_n=int(m["bn"]),
            tile_k=int(m["bk"]),
            stages=int(m["stages"]),
            scheduler=Scheduler(m["sched"]),
            pipes=int(m["pipes"]) if m["pipes"] else 1,
            bulk_weights=bool(m["bulk"]),
            tma_activations=bool(m["tma"]),
            producer_warp=bool(m["pw"]),
        )
    except ValueError as e:  # unknown enum spelling
        raise ConfigError(f"not a mixgemm kernel name: {name!r} ({e})") from None
    if cfg.name != name:  # e.g. leading zeros: the name must be canonical
        raise ConfigError(f"non-canonical kernel name {name!r}; canonical is {cfg.name!r}")
    return cfg
