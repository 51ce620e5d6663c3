"""Round-to-nearest symmetric group quantization (the GPTQ "sym" convention)."""

from __future__ import annotations

import torch

from .formats import PER_CHANNEL, SUPPORTED_BITS, QuantizedWeight


def quantize(w: torch.Tensor, bits: int, group_size: int = 128,
             scale_dtype: torch.dtype = torch.float16) -> QuantizedWeight:
    """Quantize W[K, N] (the layer's in_features x out_features) to `bits`-bit codes.

    Per group of `group_size` rows of K (PER_CHANNEL: all of K) and per column:
    scale = 2 * max|w| / (2^bits - 1), code = clamp(round(w / scale) + 2^(bits-1), 0, 2^bits-1).
    The scale is rounded to `scale_dtype` (the activation dtype) before the codes are computed,
    so that the codes are the best ones for the scale the kernel will actually use.
    """
    if bits not in SUPPORTED_BITS:
        raise ValueError(f"bits={bits}: supported widths are {SUPPORTED_BITS}")
    if w.dim() != 2:
        raise ValueError(f"W must be 2-D [K, N], got shape {tuple(w.shape)}")
    k, n = w.shape
    g = k if group_size == PER_CHANNEL else group_size
    if g <= 0 or k % g:
        raise ValueError(f"group_size={group_size} does not divide K={k}")
    wf = w.detach().to(torch.float32).reshape(k // g, g, n)
    maxabs = wf.abs().amax(dim=1)  # [groups, N]
    scale = (2.0 * maxabs / (2**bits - 1)).to(scale_dtype)
    scale = torch.where(scale == 0, torch.ones_like(scale), scale)  # all-zero groups
    zero = 1 << (bits - 1)
    codes = torch.round(wf / scale.to(torch.float32)[:, None, :]) + zero
    codes = codes.clamp_(0, 2**bits - 1).to(torch.uint8).reshape(k, n)
    return QuantizedWeight(codes=codes, scales=scale.contiguous(), bits=bits, group_size=group_size)
