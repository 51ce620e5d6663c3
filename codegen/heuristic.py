"""The kernel-selection heuristic: plain data and one Python function, rendered into C++.

A rule applies when ``M <= max_m``; its tiles are tried in order, and the first one for which
the library has a kernel of the problem's format wins. If no rule finds one, the first kernel
(in name order) of the problem's format does. ``choose`` is the Python statement of exactly
what ``heuristic_select`` in the generated dispatch.cu does, and is what the tests check.
"""

from __future__ import annotations

import dataclasses
from typing import Sequence

from .config import KernelConfig


@dataclasses.dataclass(frozen=True)
class TileRule:
    max_m: int
    tiles: tuple[tuple[int, int, int], ...]  # (tile_m, tile_n, tile_k), preferred first


# Smallest M tile that covers the batch: a 16-row tile wastes nothing on weight traffic at
# decode sizes, larger tiles reuse each dequantized weight fragment over more rows.
RULES: tuple[TileRule, ...] = (
    TileRule(16, ((16, 128, 128),)),
    TileRule(64, ((64, 128, 64), (16, 128, 128))),
    TileRule(2**31 - 1, ((128, 128, 64), (64, 128, 64))),
)


def matches(cfg: KernelConfig, act: str, bits: int, group: int) -> bool:
    return cfg.act.value == act and cfg.bits == bits and cfg.group == group


def choose(
    configs: Sequence[KernelConfig], m: int, n: int, k: int, act: str, bits: int, group: int
) -> KernelConfig | None:
    del n, k  # the current rules look at M only; the signature is the C++ one
    fitting = sorted((c for c in configs if matches(c, act, bits, group)), key=lambda c: c.name)
    for rule in RULES:
        if m <= rule.max_m:
            for tile in rule.tiles:
                for cfg in fitting:
                    if (cfg.tile_m, cfg.tile_n, cfg.tile_k) == tile:
                        return cfg
            break
    return fitting[0] if fitting else None
