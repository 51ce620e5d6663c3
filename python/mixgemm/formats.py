"""Weight containers: codes + scales as quantized, and the same packed for a kernel family."""

from __future__ import annotations

import dataclasses

import torch

PER_CHANNEL = 0  # group_size meaning "one scale per output column" (MIXGEMM_GROUP_PER_CHANNEL)
SUPPORTED_BITS = (2, 3, 4, 5, 6, 7, 8)
PACK_K = 64  # rows of K in one packing unit
PACK_N = 16  # columns of N in one packing unit


@dataclasses.dataclass(frozen=True)
class QuantizedWeight:
    """Symmetric uniform codes: W[k, n] ~= (codes[k, n] - 2^(bits-1)) * scales[k // group, n].

    codes: uint8 [K, N]; scales: [K // group_size, N] (or [1, N] per channel) in the
    activation dtype; group_size: rows of K per scale, or PER_CHANNEL.
    """

    codes: torch.Tensor
    scales: torch.Tensor
    bits: int
    group_size: int

    @property
    def k(self) -> int:
        return self.codes.shape[0]

    @property
    def n(self) -> int:
        return self.codes.shape[1]

    @property
    def zero(self) -> int:
        return 1 << (self.bits - 1)


@dataclasses.dataclass(frozen=True)
class PackedWeight:
    """Codes in the sm80 kernel layout (see pack.py) plus scales, ready for `mixgemm.gemm`.

    data: int32 [K / 64, (N / 16) * 32 * bits]; scales: [K // group_size, N] (or [1, N]).
    """

    data: torch.Tensor
    scales: torch.Tensor
    bits: int
    group_size: int
    k: int
    n: int
    family: str = "sm80"

    def to(self, device) -> "PackedWeight":
        return dataclasses.replace(self, data=self.data.to(device), scales=self.scales.to(device))
