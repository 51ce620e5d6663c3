"""The kernel-selection heuristic: plain data and one Python function, rendered into C++.

A rule applies when ``M <= max_m``, the weight has at most ``max_n`` columns and ``max_nk``
elements (N decides how many tiles there are for the SMs, and so which tiles and pipes fill
the GPU in one wave; small layers are latency-bound and like other tiles than large ones)
and, if the rule names a bit
width, the weight has it (3-bit mainloops do more work per byte than 4-bit ones and can prefer
other tiles); its choices are tried in order, and the first one for
which the library has a kernel of the problem's format that the device can run wins (the C++
side also skips kernels of a family the current GPU lacks, e.g. sm90 on an A100; ``choose``
models a device that runs every family). If no rule finds one, the first
kernel (in name order) of the problem's format does. ``choose`` is the Python statement of
exactly what ``heuristic_select`` in the generated dispatch.cu does, and is what the tests
check. The rule table itself lives in ``heuristic_table.py``, which ``codegen.tune`` rewrites
from a benchmark CSV.
"""

from __future__ import annotations

import dataclasses
from typing import Sequence

from .config import KernelConfig


@dataclasses.dataclass(frozen=True)
class Choice:
    arch: str  # enums.Arch value: the kernel family
    tile_m: int
    tile_n: int
    tile_k: int
    stages: int
    scheduler: str  # enums.Scheduler value
    pipes: int = 1
    bulk_weights: bool = False
    tma_activations: bool = False
    producer_warp: bool = False

    def matches(self, cfg: KernelConfig) -> bool:
        return self == Choice.of(cfg)

    @property
    def sm(self) -> int:
        return int(self.arch[2:])

    @classmethod
    def of(cls, cfg: KernelConfig) -> "Choice":
        return cls(cfg.arch.value, cfg.tile_m, cfg.tile_n, cfg.tile_k, cfg.stages,
                   cfg.scheduler.value, cfg.pipes, cfg.bulk_weights, cfg.tma_activations,
                   cfg.producer_warp)


# Largest weight (N x K elements) a rule covers when it names no bound.
ANY_SIZE = 2**62


@dataclasses.dataclass(frozen=True)
class TileRule:
    max_m: int
    choices: tuple[Choice, ...]  # preferred first
    max_nk: int = ANY_SIZE  # the rule applies when M <= max_m and N * K <= max_nk
    bits: int = 0  # ... and the weight has this many bits (0: any)
    max_n: int = ANY_SIZE  # ... and N <= max_n

    def applies(self, m: int, n: int, k: int, bits: int) -> bool:
        return (m <= self.max_m and n <= self.max_n and n * k <= self.max_nk
                and self.bits in (0, bits))


def _rules() -> tuple[TileRule, ...]:
    from .heuristic_table import RULES

    return RULES


def matches(cfg: KernelConfig, act: str, bits: int, group: int) -> bool:
    return cfg.act.value == act and cfg.bits == bits and cfg.group == group


def choose(
    configs: Sequence[KernelConfig], m: int, n: int, k: int, act: str, bits: int, group: int,
    rules: Sequence[TileRule] | None = None,
) -> KernelConfig | None:
    fitting = sorted((c for c in configs if matches(c, act, bits, group)), key=lambda c: c.name)
    for rule in rules if rules is not None else _rules():
        if rule.applies(m, n, k, bits):
            for choice in rule.choices:
                for cfg in fitting:
                    if choice.matches(cfg):
                        return cfg
            break
    return fitting[0] if fitting else None
