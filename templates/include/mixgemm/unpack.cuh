// Unpackers: the seam between the packed weight format and the mainloop.
//
// The sm80 mainloop hands an unpacker the 32-bit words one lane holds for one packing unit
// (K 64 x N 16, see python/mixgemm/pack.py) and asks for the B fragments of one k16 step:
// four registers, each a pair of 16-bit values (k, k+1) at one column, in the order
//   b[0] = n8 tile 0, rows 2t..2t+1      b[1] = n8 tile 0, rows 2t+8..2t+9
//   b[2] = n8 tile 1, rows 2t..2t+1      b[3] = n8 tile 1, rows 2t+8..2t+9
// which is the mma.m16n8k16 B operand layout (PTX ISA, "Matrix Fragments for mma.m16n8k16").
// A new format (zero points, lookup tables, 2:4 sparse, bipolar) is a new unpacker class with
// the same interface, not a new mainloop.
#pragma once

#include "mixgemm/act_types.cuh"

namespace mixgemm {

// lop3.b32 with a compile-time truth table (a = 0xF0, b = 0xCC, c = 0xAA). Written out because
// the compiler will not fuse `(x & mask) | magic` into one LOP3 when both constants are
// immediates (LOP3 takes one immediate); here they are registers.
template <int kLut>
__device__ __forceinline__ uint32_t lop3(uint32_t a, uint32_t b, uint32_t c) {
  uint32_t d;
  asm("lop3.b32 %0, %1, %2, %3, %4;" : "=r"(d) : "r"(a), "r"(b), "r"(c), "n"(kLut));
  return d;
}
constexpr int kLutAndOr = (0xF0 & 0xCC) | 0xAA;           // (a & b) | c
constexpr int kLutSelect = (0xF0 & 0xAA) | (0xCC & ~0xAA);  // c ? a : b, bitwise

// Right shift by a compile-time amount, a left shift if it is negative.
template <int kShift>
__device__ __forceinline__ uint32_t shift_right(uint32_t x) {
  if constexpr (kShift > 0) return x >> kShift;
  else if constexpr (kShift < 0) return x << -kShift;
  else return x;
}

// The packed layout of a `kBits`-wide code (mirrored by python/mixgemm/pack.py).
//
// Slices: the code is cut into slices of 4, 2 and 1 bits, widest (most significant) first,
// e.g. 3 = 2+1, 5 = 4+1, 7 = 4+2+1; a w-bit slice takes w words per lane per unit, `kBits`
// words in all.
//
// Merged words: what the unpacker rebuilds, one per `kPairsPerMerged` B registers. Each
// 16-bit half holds one code per pair in a field of kField bits (4 for codes up to 4 bits,
// 8 above), at bit kField * q for pair q of the merged word. A slice word holds its bits of
// kField / w consecutive merged words, side by side inside each field: the slice bits of merged
// word x sit at w * (x % (kField / w)) from the field start. One shift per slice moves them to
// their place in the code, and one LOP3 per extra slice joins them, so every k16 step costs the
// same few instructions whatever the width (3-bit: 2 shifts + 1 LOP3 more than 4-bit).
template <int kBits>
struct SliceLayout {
  static constexpr int width(int i) {
    int rest = kBits;
    for (int j = 0; j < i; ++j) rest -= (rest >= 4 ? 4 : rest >= 2 ? 2 : 1);
    return rest >= 4 ? 4 : rest >= 2 ? 2 : 1;
  }
  static constexpr int count() {
    int n = 0;
    for (int rest = kBits; rest > 0; ++n) rest -= (rest >= 4 ? 4 : rest >= 2 ? 2 : 1);
    return n;
  }
  static constexpr int word_offset(int i) {  // first word of slice i
    int off = 0;
    for (int j = 0; j < i; ++j) off += width(j);
    return off;
  }
  static constexpr int code_shift(int i) {  // bit position of slice i inside the code
    int shift = 0;
    for (int j = i + 1; j < count(); ++j) shift += width(j);
    return shift;
  }

  static constexpr int kField = kBits <= 4 ? 4 : 8;
  static constexpr int kPairsPerMerged = 16 / kField;
  static constexpr int kMergedPerStep = 4 / kPairsPerMerged;

  static constexpr int merged_per_word(int i) { return kField / width(i); }
  static constexpr int word_of(int i, int x) { return word_offset(i) + x / merged_per_word(i); }
  // Right shift that brings slice i's bits of merged word x to their place in the code.
  static constexpr int shift_of(int i, int x) {
    return width(i) * (x % merged_per_word(i)) - code_shift(i);
  }
  // Where slice i's bits are in a merged word: every field of both halves.
  static constexpr uint32_t field_mask(int i) {
    uint32_t m = 0;
    for (int q = 0; q < kPairsPerMerged; ++q)
      m |= ((1u << width(i)) - 1u) << (code_shift(i) + kField * q);
    return m * 0x00010001u;
  }
  static constexpr uint32_t mask_below(int i) {  // fields of slices 0 .. i-1
    uint32_t m = 0;
    for (int j = 0; j < i; ++j) m |= field_mask(j);
    return m;
  }
};

// A lane's kWords consecutive 32-bit words of one packing unit in shared memory (the unit is
// 32 lanes x kWords words, lane-major), read with the widest loads their alignment allows:
// 16 bytes when kWords % 4 == 0, 8 when even. Both kernel families read units this way.
template <int kWords>
__device__ __forceinline__ void load_lane_words(const uint32_t* unit, int lane,
                                                uint32_t (&w)[kWords]) {
  const uint32_t* src = unit + lane * kWords;
  if constexpr (kWords % 4 == 0) {
#pragma unroll
    for (int i = 0; i < kWords; i += 4) {
      const uint4 v = *reinterpret_cast<const uint4*>(src + i);
      w[i] = v.x, w[i + 1] = v.y, w[i + 2] = v.z, w[i + 3] = v.w;
    }
  } else if constexpr (kWords % 2 == 0) {
#pragma unroll
    for (int i = 0; i < kWords; i += 2) {
      const uint2 v = *reinterpret_cast<const uint2*>(src + i);
      w[i] = v.x, w[i + 1] = v.y;
    }
  } else {
#pragma unroll
    for (int i = 0; i < kWords; ++i) w[i] = src[i];
  }
}

// Symmetric uniform codes: value = (code - 2^(bits-1)) * scale.
// `kScaleInMainloop` false leaves scaling to the caller (per-channel scales in the epilogue,
// or group scales applied to fp32 partial sums, see Sm80Gemm::kScaleInAccum).
template <class Act, int kBits, bool kScaleInMainloop_>
struct UniformUnpacker {
  static constexpr int kWordsPerLane = kBits;
  static constexpr bool kScaleInMainloop = kScaleInMainloop_;
  static constexpr int kZero = 1 << (kBits - 1);
  using Pair = typename Act::pair;
  using Slices = SliceLayout<kBits>;
  static constexpr int kField = Slices::kField;
  static constexpr uint32_t kCodeMask = ((1u << kBits) - 1u) * 0x00010001u;
  // The magic-number conversion needs the code to fit the mantissa (bf16: 7 bits).
  static constexpr bool kMagicFits = kBits <= Act::kMantissaBits;
  // fp16 can read a code in place at bits 4..7 (value 16 * code, still inside the 10-bit
  // mantissa) and divide by 16 in the same HFMA2 that removes the bias: one shift per four
  // codes instead of three. bf16's 7-bit mantissa cannot.
  static constexpr bool kInPlaceHigh = kField == 4 && Act::kMantissaBits >= 8;

  // Merged word x (k16 step x / kMergedPerStep) from the lane's packed words.
  template <int x>
  __device__ __forceinline__ static uint32_t merged(const uint32_t (&w)[kWordsPerLane]) {
    uint32_t n = shift_right<Slices::shift_of(0, x)>(w[Slices::word_of(0, x)]);
    if constexpr (Slices::count() > 1)
      n = lop3<kLutSelect>(n, shift_right<Slices::shift_of(1, x)>(w[Slices::word_of(1, x)]),
                           Slices::mask_below(1));
    if constexpr (Slices::count() > 2)
      n = lop3<kLutSelect>(n, shift_right<Slices::shift_of(2, x)>(w[Slices::word_of(2, x)]),
                           Slices::mask_below(2));
    static_assert(Slices::count() <= 3, "at most three slices (4 + 2 + 1)");
    return n;
  }

  // Code pair q of merged word n as (code - zero), exact in 16 bits.
  template <int q>
  __device__ __forceinline__ static Pair centered(uint32_t n) {
    constexpr int pos = kField * q;
    if constexpr (kMagicFits && kInPlaceHigh && q % 2 == 1) {
      // (magic + 16 code) / 16 - (magic / 16 + zero)
      const uint32_t x = lop3<kLutAndOr>(shift_right<pos - 4>(n), kCodeMask << 4, Act::kMagicPair);
      const Pair inv16 = as_pair<Pair>(Act::kOneSixteenthPair);
      const Pair bias = as_pair<Pair>(Act::int_pair(-(Act::kMagicValue / 16 + kZero)));
      return __hfma2(as_pair<Pair>(x), inv16, bias);
    } else if constexpr (kMagicFits) {
      // (magic + code) - (magic + zero)
      const uint32_t x = lop3<kLutAndOr>(shift_right<pos>(n), kCodeMask, Act::kMagicPair);
      return __hsub2(as_pair<Pair>(x), as_pair<Pair>(Act::int_pair(Act::kMagicValue + kZero)));
    } else {
      const uint32_t c = shift_right<pos>(n) & kCodeMask;
      return Act::to_pair(float(int(c & 0xffffu) - kZero), float(int(c >> 16) - kZero));
    }
  }

  // The four B registers of k16 step `step` (0..3 within the unit), scaled if kScaleInMainloop.
  template <int step>
  __device__ __forceinline__ static void unpack(const uint32_t (&w)[kWordsPerLane],
                                                const Pair (&scale)[2], uint32_t (&b)[4]) {
    Pair v[4];
    if constexpr (Slices::kPairsPerMerged == 4) {
      const uint32_t n = merged<step>(w);
      v[0] = centered<0>(n), v[1] = centered<1>(n), v[2] = centered<2>(n), v[3] = centered<3>(n);
    } else {
      const uint32_t n0 = merged<2 * step>(w), n1 = merged<2 * step + 1>(w);
      v[0] = centered<0>(n0), v[1] = centered<1>(n0), v[2] = centered<0>(n1),
      v[3] = centered<1>(n1);
    }
#pragma unroll
    for (int p = 0; p < 4; ++p) {
      if constexpr (kScaleInMainloop) v[p] = __hmul2(v[p], scale[p / 2]);
      b[p] = as_u32(v[p]);
    }
  }
};

}  // namespace mixgemm
