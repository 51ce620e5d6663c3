"""Offline weight restructuring into the sm80 kernel layout, and its inverse.

The layout is built so that each lane of a warp loads, for one K 64 x N 16 "packing unit",
`bits` contiguous 32-bit words that hold exactly the 32 codes its mma.m16n8k16 B fragments
need over four k16 steps, arranged so that a LOP3 per pair and a few shifts turn them into
16-bit floats (unpack.cuh):

* lane L = 4 * g + t (g = L // 4, t = L % 4), k16 step s in 0..3, pair p = 2 * j + r in 0..3,
  half h in 0..1 hold the code of W[k, n] with
  k = 64 * unit_k + 16 * s + 8 * r + 2 * t + h and n = 16 * unit_n + 8 * j + g
  (j: which n8 MMA tile, r: fragment register b0/b1, h: low/high 16 bits of that register).
  The pair's "slot" is x = 4 * s + p.
* Dense layout, for 2, 3, 4, 5 and 8 bits (16 % bits <= 1): each 16-bit half of a word holds
  P = 16 // bits whole codes; slot x < bits * P sits at bit 16 * h + bits * (x % P) of word
  x // P. At 3 and 5 bits the top bit of every half is left over: slot 15's code bit b is
  bit 16 * h + 15 of word b.
* Sliced layout, for 6 and 7 bits: the code is cut into slices of 4, 2 and 1 bits, widest
  (most significant) first (6 = 4 + 2, 7 = 4 + 2 + 1); a w-bit slice takes w words. The kernel
  rebuilds "merged words" whose halves hold the codes of two pairs in 8-bit fields: merged word
  x = 2 * s + p // 2 holds pair p at bit 8 * (p % 2). Slice word x // (8 // w) holds the slice
  bits of merged word x at bit 16 * h + 8 * (p % 2) + w * (x % (8 // w)): the slices of
  8 // w merged words side by side inside each field. One shift per slice moves a merged
  word's bits to their place in the code.

Both are described by `bit_places`: the word and bit of every code bit, which pack and unpack
follow. Stored as int32 [K / 64, (N / 16) * 32 * bits]: row = unit_k, then unit_n, lane, word.
"""

from __future__ import annotations

import torch

from .formats import PACK_K, PACK_N, PackedWeight, QuantizedWeight


def is_dense(bits: int) -> bool:
    """Whether `bits`-wide codes use the dense layout (module doc); else bit slices."""
    return 16 % bits <= 1


def slices(bits: int) -> list[tuple[int, int, int]]:
    """Sliced layout: [(width, first word, shift of the slice inside the code)], widest first."""
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


def bit_places(bits: int, device=None) -> tuple[torch.Tensor, torch.Tensor]:
    """Where each code bit lives in a lane's words of one unit: (word, bit position), both
    int64 of shape [bits, 4 steps, 4 pairs, 2 halves], indexed by the code bit first."""
    s = torch.arange(4, device=device).view(4, 1, 1)
    p = torch.arange(4, device=device).view(1, 4, 1)
    h = torch.arange(2, device=device).view(1, 1, 2)
    words, positions = [], []
    if is_dense(bits):
        per_half = 16 // bits
        slot = (4 * s + p).expand(4, 4, 2)
        whole = slot < bits * per_half
        for b in range(bits):
            words.append(torch.where(whole, slot // per_half, b))
            positions.append(16 * h + torch.where(whole, bits * (slot % per_half) + b, 15))
    else:
        x = 2 * s + p // 2  # merged word
        places = {}
        for width, first, shift in slices(bits):
            per_word = 8 // width
            word = (first + x // per_word).expand(4, 4, 2)
            pos = 16 * h + 8 * (p % 2) + width * (x % per_word)
            for i in range(width):
                places[shift + i] = (word, pos + i)
        words = [places[b][0] for b in range(bits)]
        positions = [places[b][1] for b in range(bits)]
    return torch.stack(words), torch.stack(positions)


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
    v = _lane_order(qw.codes.to(torch.int64)).flatten(3)  # [ku, un, 32 lanes, 32 codes]
    ku, un = k // 64, n // 16
    word, pos = (t.flatten(1) for t in bit_places(qw.bits, v.device))  # [bits, 32 codes]
    data = torch.zeros(ku, un, 32, qw.bits, dtype=torch.int64, device=v.device)
    for b in range(qw.bits):
        # every code bit has its own place: adding the bits is OR-ing them
        data.index_add_(3, word[b], ((v >> b) & 1) << pos[b])
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
    word, pos = (t.flatten(1) for t in bit_places(pw.bits, data.device))
    codes = torch.zeros(ku, un, 32, 32, dtype=torch.int64, device=data.device)
    for b in range(pw.bits):
        codes |= ((data[..., word[b]] >> pos[b]) & 1) << b
    return QuantizedWeight(
        codes=_from_lane_order(codes.view(ku, un, 32, 4, 4, 2)).to(torch.uint8),
        scales=pw.scales,
        bits=pw.bits,
        group_size=pw.group_size,
    )
