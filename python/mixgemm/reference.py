"""The oracle: pure-torch dequantization and matmul in float32/float64. Slow and obvious."""

from __future__ import annotations

import torch

from .formats import PER_CHANNEL, PackedWeight, QuantizedWeight


def dequantize(qw: QuantizedWeight, dtype: torch.dtype = torch.float64) -> torch.Tensor:
    """W[K, N] = (codes - 2^(bits-1)) * scales[k // group, n], in `dtype`."""
    g = qw.k if qw.group_size == PER_CHANNEL else qw.group_size
    scales = qw.scales.to(dtype).repeat_interleave(g, dim=0)
    return (qw.codes.to(dtype) - qw.zero) * scales


def gemm(a: torch.Tensor, w: QuantizedWeight | PackedWeight,
         dtype: torch.dtype = torch.float64) -> torch.Tensor:
    """C = A @ dequantize(W) computed in `dtype` (float64 by default), on A's device."""
    if isinstance(w, PackedWeight):
        from .pack import unpack

        w = unpack(w)
    wd = dequantize(QuantizedWeight(w.codes.to(a.device), w.scales.to(a.device), w.bits,
                                    w.group_size), dtype)
    return a.to(dtype) @ wd
