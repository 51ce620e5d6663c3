"""quantize / pack / unpack / reference on the CPU."""

import pytest
import torch

import mixgemm
from mixgemm import reference
from mixgemm.pack import bit_places, is_dense, slices

BITS = (2, 3, 4, 5, 6, 7, 8)


@pytest.mark.parametrize("bits", BITS)
@pytest.mark.parametrize("group", [32, 64, 128, mixgemm.PER_CHANNEL])
def test_quantize_is_round_to_nearest(bits, group):
    w = torch.randn(256, 48, dtype=torch.float64)
    qw = mixgemm.quantize(w, bits, group, scale_dtype=torch.float32)
    assert qw.codes.dtype == torch.uint8 and int(qw.codes.max()) < 2**bits
    assert qw.scales.shape == ((1 if group == 0 else 256 // group), 48)
    g = 256 if group == 0 else group
    step = qw.scales.double().repeat_interleave(g, dim=0)
    err = (reference.dequantize(qw) - w).abs()
    # Nearest code: error at most half a step, except where the top code clips (+max|w|).
    assert (err <= step * 0.5 + 1e-6).float().mean() > 0.99
    assert (err <= step + 1e-6).all()


def test_quantize_rejects_bad_arguments():
    with pytest.raises(ValueError, match="bits=9"):
        mixgemm.quantize(torch.randn(64, 16), 9, 64)
    with pytest.raises(ValueError, match="does not divide"):
        mixgemm.quantize(torch.randn(96, 16), 4, 64)
    with pytest.raises(ValueError, match="2-D"):
        mixgemm.quantize(torch.randn(64), 4, 64)


@pytest.mark.parametrize("bits", BITS)
def test_pack_unpack_round_trip(bits):
    codes = torch.randint(0, 2**bits, (192, 80), dtype=torch.uint8)
    qw = mixgemm.QuantizedWeight(codes, torch.rand(3, 80).half() + 0.1, bits, 64)
    pw = mixgemm.pack(qw)
    assert pw.data.dtype == torch.int32 and tuple(pw.data.shape) == (3, 5 * 32 * bits)
    back = mixgemm.unpack(pw)
    assert torch.equal(back.codes, codes) and torch.equal(back.scales, qw.scales)


def kernel_view_code(words: list[int], bits: int, lane: int, step: int, pair: int,
                     half: int) -> int:
    """The code the kernel's unpacker (UniformUnpacker in unpack.cuh) reads, modelled bit by
    bit. Dense widths: the code lies whole at its place, except slot 15 at 3 and 5 bits, whose
    bits are the top bits of the halves, gathered with shifts and bitwise selects. Sliced
    widths: each slice word shifted into place, the slices joined with a select, then the
    pair's 8-bit field read."""
    mask = (1 << bits) - 1
    if 16 % bits <= 1:
        per_half, slot = 16 // bits, 4 * step + pair
        if slot < bits * per_half:
            return (words[slot // per_half] >> (16 * half + bits * (slot % per_half))) & mask
        at = 10 - bits  # fp16's highest in-place bit; the kernel gathers the bits there
        gathered = 0
        for b in range(bits):
            below = (((1 << b) - 1) << at) * 0x00010001
            moved = words[b] >> (15 - at - b)
            gathered = (gathered & below) | (moved & ~below & 0xFFFFFFFF)
        return (gathered >> (16 * half + at)) & mask
    x, q = 2 * step + pair // 2, pair % 2
    merged, have = 0, 0
    for width, first, shift in slices(bits):
        word = words[first + x // (8 // width)]
        amount = width * (x % (8 // width)) - shift
        moved = (word >> amount if amount >= 0 else word << -amount) & 0xFFFFFFFF
        merged = (merged & have) | (moved & ~have & 0xFFFFFFFF)
        for f in range(2):
            for h in range(2):
                have |= ((1 << width) - 1) << (shift + 8 * f + 16 * h)
    return (merged >> (16 * half + 8 * q)) & mask


@pytest.mark.parametrize("bits", BITS)
def test_packed_layout_matches_the_mma_fragment_spec(bits):
    """Independent of pack(): every lane's words give W[k, n] at the mma.m16n8k16 B-fragment
    position (k = 16 s + 8 r + 2 t + h, n = 8 j + g for lane 4 g + t, pair 2 j + r)."""
    k, n = 128, 32
    codes = torch.randint(0, 2**bits, (k, n), dtype=torch.uint8)
    pw = mixgemm.pack(mixgemm.QuantizedWeight(codes, torch.ones(1, n).half(), bits, 0))
    data = pw.data.to(torch.int64) & 0xFFFFFFFF
    units_n = n // 16
    for unit_k in range(k // 64):
        for unit_n in range(units_n):
            for lane in range(32):
                base = (unit_n * 32 + lane) * bits
                words = [int(x) for x in data[unit_k, base:base + bits]]
                g, t = divmod(lane, 4)
                for s in range(4):
                    for p in range(4):
                        j, r = divmod(p, 2)
                        for h in range(2):
                            kk = 64 * unit_k + 16 * s + 8 * r + 2 * t + h
                            nn = 16 * unit_n + 8 * j + g
                            got = kernel_view_code(words, bits, lane, s, p, h)
                            assert got == int(codes[kk, nn]), (unit_k, unit_n, lane, s, p, h)


def test_slices_cover_the_code():
    for bits in BITS:
        parts = slices(bits)
        assert sum(w for w, _, _ in parts) == bits
        assert all(w in (1, 2, 4) for w, _, _ in parts)
        assert parts[-1][2] == 0 and parts[0][2] == bits - parts[0][0]
    assert slices(7) == [(4, 0, 3), (2, 4, 1), (1, 6, 0)]  # 7-bit = 4 + 2 + 1 bit slices


def test_dense_and_sliced_widths():
    assert [b for b in BITS if is_dense(b)] == [2, 3, 4, 5, 8]


@pytest.mark.parametrize("bits", BITS)
def test_bit_places_are_distinct_and_fill_the_words(bits):
    word, pos = bit_places(bits)
    places = {(int(w), int(p)) for w, p in zip(word.flatten(), pos.flatten())}
    assert len(places) == 32 * bits  # no two code bits share a place
    assert all(0 <= w < bits and 0 <= p < 32 for w, p in places)


def test_pack_rejects_bad_dims():
    qw = mixgemm.QuantizedWeight(torch.zeros(100, 16, dtype=torch.uint8), torch.ones(1, 16), 4, 0)
    with pytest.raises(ValueError, match="multiple of 64"):
        mixgemm.pack(qw)


def test_reference_gemm_matches_manual():
    codes = torch.tensor([[0, 15], [8, 9]] * 32, dtype=torch.uint8)  # K=64, N=2
    scales = torch.tensor([[0.5, 2.0]], dtype=torch.float16)
    qw = mixgemm.QuantizedWeight(codes, scales, 4, 0)
    w = reference.dequantize(qw)
    assert w[0].tolist() == [-4.0, 14.0] and w[1].tolist() == [0.0, 2.0]
    a = torch.ones(3, 64, dtype=torch.float16)
    assert reference.gemm(a, qw).tolist() == [[32 * -4.0, 32 * 16.0]] * 3


def test_reference_accepts_packed_weights():
    qw = mixgemm.quantize(torch.randn(128, 32), 3, 64)
    a = torch.randn(5, 128).half()
    assert torch.equal(reference.gemm(a, qw), reference.gemm(a, mixgemm.pack(qw)))
