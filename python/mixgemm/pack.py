"""Offline weight restructuring into the sm80 kernel layout, and its inverse.

The layout is built so that each lane of a warp loads, for one K 64 x N 16 "packing unit",
`bits` contiguous 32-bit words that hold exactly the 32 codes its mma.m16n8k16 B fragments
need over four k16 steps, already in register order:

* lane L = 4 * g + t (g = L // 4, t = L % 4), k16 step s in 0..3, pair p = 2 * j + r in 0..3,
  half h in 0..1 hold the code of W[k, n] with
  k = 64 * unit_k + 16 * s + 8 * r + 2 * t + h and n = 16 * unit_n + 8 * j + g
  (j: which n8 MMA tile, r: fragment register b0/b1, h: low/high 16 bits of that register).
* A code is cut into bit slices of 4, 2 and 1 bits, widest (most significant) first
  (3 = 2 + 1, 5 = 4 + 1, ...). A w-bit slice takes w words; word i of the slice covers steps
  s = i * (4 // w) + ls, and holds the slice of (ls, p, h) at bit 16 * h + w * (4 * ls + p).
  So the two halves of a word are the two halves of a B register: one shift + one LOP3 turns
  them into a half2 (unpack.cuh).

Stored as int32 [K / 64, (N / 16) * 32 * bits]: row = unit_k, then unit_n, lane, word.
"""

from __future__ import annotations

import torch

from .formats import PACK_K, PACK_N, PackedWeight, QuantizedWeight


def slices(bits: int) -> list[tuple[int, int, int]]:
    """[(width, first word, shift of the slice inside the code)], widest first."""
    widths, rest = [], bits
    while rest:
        w = 4 if rest >= 4 else 2 if rest >= 2 else 1
        widths.append(w)
        rest -= w
    out, word = [], 0
    for i, w in enumerate(widths):
        out.append((w, word, sum(widths[i + 1:])))
        word += w
    return out


def _field_positions(width: int, device) -> torch.Tensor:
    """Bit position of slice field (ls, p, h) in its word: 16 h + width (4 ls + p)."""
    steps_per_word = 4 // width
    ls = torch.arange(steps_per_word, device=device).view(steps_per_word, 1, 1)
    p = torch.arange(4, device=device).view(1, 4, 1)
    h = torch.arange(2, device=device).view(1, 1, 2)
    return 16 * h + width * (4 * ls + p)  # [steps_per_word, 4, 2]


def _check_dims(k: int, n: int) -> None:
    if k % PACK_K or n % PACK_N:
        raise ValueError(f"K={k} must be a multiple of {PACK_K} and N={n} of {PACK_N} to pack")


def _lane_order(codes: torch.Tensor) -> torch.Tensor:
    """[K, N] -> [K/64, N/16, 32 lanes, 4 steps, 4 pairs, 2 halves] (see module doc)."""
    k, n = codes.shape
    # k = (unit_k, s, r, t, h), n = (unit_n, j, g)
    v = codes.reshape(k // 64, 4, 2, 4, 2, n // 16, 2, 8)
    # -> (unit_k, unit_n, g, t, s, j, r, h); lane = 4 g + t, pair = 2 j + r
    v = v.permute(0, 5, 7, 3, 1, 6, 2, 4)
    return v.reshape(k // 64, n // 16, 32, 4, 4, 2)


def _from_lane_order(v: torch.Tensor) -> torch.Tensor:
    ku, un = v.shape[:2]
    v = v.reshape(ku, un, 8, 4, 4, 2, 2, 2).permute(0, 4, 6, 3, 7, 1, 5, 2)
    return v.reshape(ku * 64, un * 16)


def pack(qw: QuantizedWeight) -> PackedWeight:
    """Restructure codes into the kernel layout (CPU or GPU, any torch device)."""
    k, n = qw.codes.shape
    _check_dims(k, n)
    v = _lane_order(qw.codes.to(torch.int64))
    ku, un = k // 64, n // 16
    words = []
    for width, _, shift in slices(qw.bits):
        steps_per_word = 4 // width
        part = (v >> shift) & ((1 << width) - 1)  # [ku, un, 32, 4, 4, 2]
        part = part.reshape(ku, un, 32, width, steps_per_word, 4, 2)
        pos = _field_positions(width, v.device)
        words.append((part << pos).sum(dim=(4, 5, 6)))  # disjoint bit fields: sum == OR
    data = torch.cat(words, dim=3)  # [ku, un, 32, bits], values in [0, 2^32)
    data = torch.where(data >= 2**31, data - 2**32, data).to(torch.int32)
    return PackedWeight(
        data=data.reshape(ku, un * 32 * qw.bits).contiguous(),
        scales=qw.scales.contiguous(),
        bits=qw.bits,
        group_size=qw.group_size,
        k=k,
        n=n,
    )


def unpack(pw: PackedWeight) -> QuantizedWeight:
    """Inverse of `pack` (exact)."""
    _check_dims(pw.k, pw.n)
    ku, un = pw.k // 64, pw.n // 16
    expected = (ku, un * 32 * pw.bits)
    if tuple(pw.data.shape) != expected:
        raise ValueError(f"packed data has shape {tuple(pw.data.shape)}, expected {expected}")
    data = pw.data.to(torch.int64).reshape(ku, un, 32, pw.bits) & 0xFFFFFFFF
    codes = torch.zeros(ku, un, 32, 4, 4, 2, dtype=torch.int64, device=data.device)
    for width, first, shift in slices(pw.bits):
        pos = _field_positions(width, data.device)
        w = data[:, :, :, first:first + width]  # [ku, un, 32, width]
        part = (w[..., None, None, None] >> pos) & ((1 << width) - 1)
        codes |= part.reshape(ku, un, 32, 4, 4, 2) << shift
    return QuantizedWeight(
        codes=_from_lane_order(codes).to(torch.uint8),
        scales=pw.scales,
        bits=pw.bits,
        group_size=pw.group_size,
    )
