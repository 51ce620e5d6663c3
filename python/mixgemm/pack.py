"""Offline weight restructuring into the sm80 kernel layout, and its inverse.

The layout is built so that each lane of a warp loads, for one K 64 x N 16 "packing unit",
`bits` contiguous 32-bit words that hold exactly the 32 codes its mma.m16n8k16 B fragments
need over four k16 steps, arranged so that a few shifts and LOP3s rebuild them (unpack.cuh):

* lane L = 4 * g + t (g = L // 4, t = L % 4), k16 step s in 0..3, pair p = 2 * j + r in 0..3,
  half h in 0..1 hold the code of W[k, n] with
  k = 64 * unit_k + 16 * s + 8 * r + 2 * t + h and n = 16 * unit_n + 8 * j + g
  (j: which n8 MMA tile, r: fragment register b0/b1, h: low/high 16 bits of that register).
* The kernel rebuilds "merged words": each 16-bit half holds the codes of L pairs in fields of
  F bits (F = 4, L = 4 for codes of up to 4 bits; F = 8, L = 2 above), pair q of merged word x
  at bit F * q; merged word x = s * (4 // L) + p // L holds pair p at q = p % L.
* A code is cut into bit slices of 4, 2 and 1 bits, widest (most significant) first
  (3 = 2 + 1, 5 = 4 + 1, ...). A w-bit slice takes w words. Slice word x // (F // w) holds the
  slice bits of merged word x at bit 16 * h + F * q + w * (x % (F // w)): the slices of
  F // w merged words side by side inside each field. One shift per slice moves a merged
  word's bits to their place in the code (the field start + the slice's shift in the code).

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


def field_geometry(bits: int) -> tuple[int, int]:
    """(F, L): bits per code field of a merged word, and pairs per merged word."""
    return (4, 4) if bits <= 4 else (8, 2)


def _slice_fields(bits: int, width: int, device) -> tuple[torch.Tensor, torch.Tensor]:
    """For a `width`-bit slice: the slice word of each (step, pair), shape [4, 4], and the bit
    position of each (step, pair, half) inside that word, shape [4, 4, 2] (module doc)."""
    field, per_merged = field_geometry(bits)
    s = torch.arange(4, device=device).view(4, 1)
    p = torch.arange(4, device=device).view(1, 4)
    h = torch.arange(2, device=device).view(1, 1, 2)
    x = s * (4 // per_merged) + p // per_merged  # merged word
    merged_per_word = field // width
    word = x // merged_per_word
    pos = 16 * h + (field * (p % per_merged) + width * (x % merged_per_word))[..., None]
    return word, pos


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
        part = (v >> shift) & ((1 << width) - 1)  # [ku, un, 32, 4 steps, 4 pairs, 2 halves]
        word, pos = _slice_fields(qw.bits, width, v.device)
        fields = part << pos  # disjoint bit fields within each word: sum == OR
        for i in range(width):
            words.append((fields * (word == i)[..., None]).sum(dim=(3, 4, 5))[..., None])
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
        word, pos = _slice_fields(pw.bits, width, data.device)
        src = data[:, :, :, first + word]  # [ku, un, 32, 4, 4]: each field's slice word
        codes |= ((src[..., None] >> pos) & ((1 << width) - 1)) << shift
    return QuantizedWeight(
        codes=_from_lane_order(codes).to(torch.uint8),
        scales=pw.scales,
        bits=pw.bits,
        group_size=pw.group_size,
    )
