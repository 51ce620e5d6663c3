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

// The packed layouts of a `kBits`-wide code (mirrored by python/mixgemm/pack.py). A lane holds
// `kBits` words per packing unit: 16 pairs (4 k16 steps x 4 B registers), "slot" 4 * step + pair.
//
// Dense, for widths with 16 % kBits <= 1 (2, 3, 4, 5 and 8 bits): each 16-bit half of a word
// holds kPerHalf = 16 / kBits whole codes, the one of slot x at bit kBits * (x % kPerHalf) of
// word x / kPerHalf (the low half has the pair's first code, the high half its second). At 3
// and 5 bits that fills 15 slots and leaves the top bit of each half of every word spare: those
// kBits spare bits hold slot 15, code bit b in word b. A code is read where it lies (see
// UniformUnpacker::dense_pair), so unpacking costs a LOP3 per pair and a shift per word, plus a
// few instructions for the gathered slot, instead of shifting bit slices together first.
template <int kBits>
struct DenseLayout {
  static constexpr bool kApplies = 16 % kBits <= 1;
  static constexpr int kPerHalf = 16 / kBits;
  static constexpr int kWholeSlots = kBits * kPerHalf;  // 16, or 15 and the gathered slot
  static constexpr int word_of(int slot) { return slot / kPerHalf; }
  static constexpr int bit_of(int slot) { return kBits * (slot % kPerHalf); }
};

// Sliced, for the other widths (6 = 4 + 2, 7 = 4 + 2 + 1): the code is cut into slices of 4, 2
// and 1 bits, widest (most significant) first; a w-bit slice takes w words.
//
// Merged words: what the unpacker rebuilds, one per `kPairsPerMerged` B registers. Each
// 16-bit half holds one code per pair in a field of 8 bits, at bit 8 * q for pair q of the
// merged word. A slice word holds its bits of 8 / w consecutive merged words, side by side
// inside each field: the slice bits of merged word x sit at w * (x % (8 / w)) from the field
// start. One shift per slice moves them to their place in the code, and one LOP3 per extra
// slice joins them.
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

  static constexpr int kField = 8;
  static constexpr int kPairsPerMerged = 16 / kField;

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
  using Dense = DenseLayout<kBits>;
  using Slices = SliceLayout<kBits>;
  static constexpr uint32_t kCodeMask = ((1u << kBits) - 1u) * 0x00010001u;
  // The magic-number conversion needs the code to fit the mantissa (bf16: 7 bits).
  static constexpr bool kMagicFits = kBits <= Act::kMantissaBits;
  // The highest bit at which a code can be converted in place: OR-ing the magic number over a
  // code at bit `off` gives magic + code * 2^off, exact while it fits the mantissa, and the
  // HFMA2 that removes the bias also multiplies by 2^-off. (fp16 4-bit: the codes at bits 0
  // and 4 of a byte need no shift; bf16's shorter mantissa allows less.)
  static constexpr int kMaxInPlace = Act::kMantissaBits - kBits;

  // The codes at bit `off` of each half of x (other bits ignored), as (code - zero), exact.
  template <int off>
  __device__ __forceinline__ static Pair field_pair(uint32_t x) {
    if constexpr (kMagicFits) {
      static_assert(0 <= off && off <= kMaxInPlace, "the code must fit the mantissa");
      const uint32_t f = lop3<kLutAndOr>(x, kCodeMask << off, Act::kMagicPair);
      if constexpr (off == 0) {
        // (magic + code) - (magic + zero)
        return __hsub2(as_pair<Pair>(f), as_pair<Pair>(Act::int_pair(Act::kMagicValue + kZero)));
      } else {
        // (magic + code 2^off) 2^-off - (magic 2^-off + zero)
        const Pair scale = as_pair<Pair>(Act::power_of_two_pair(-off));
        const Pair bias = as_pair<Pair>(Act::int_pair(-((Act::kMagicValue >> off) + kZero)));
        return __hfma2(as_pair<Pair>(f), scale, bias);
      }
    } else {
      const uint32_t c = shift_right<off>(x) & kCodeMask;
      return Act::to_pair(float(int(c & 0xffffu) - kZero), float(int(c >> 16) - kZero));
    }
  }

  // Dense layout: the pair of slot `slot` (DenseLayout).
  template <int slot>
  __device__ __forceinline__ static Pair dense_pair(const uint32_t (&w)[kWordsPerLane]) {
    if constexpr (slot < Dense::kWholeSlots) {
      // Shift a code down only as far as the in-place conversion needs: a shift by 8 serves
      // every code of a word's upper byte, so it is computed once per word.
      constexpr int bit = Dense::bit_of(slot);
      constexpr int shift = bit <= kMaxInPlace                ? 0
                            : bit >= 8 && bit - 8 <= kMaxInPlace ? 8
                                                                 : bit;
      return field_pair<bit - shift>(shift_right<shift>(w[Dense::word_of(slot)]));
    } else {
      // The gathered slot: code bit b is the top bit (15) of each half of word b. Each word is
      // shifted so that its bit lands at kMaxInPlace + b and joined under a mask.
      static_assert(kMagicFits && Dense::kWholeSlots == 15, "one gathered slot (3, 5 bits)");
      return field_pair<kMaxInPlace>(gather_top_bits<kBits - 1>(w));
    }
  }
  template <int b>
  __device__ __forceinline__ static uint32_t gather_top_bits(const uint32_t (&w)[kWordsPerLane]) {
    const uint32_t moved = shift_right<15 - kMaxInPlace - b>(w[b]);
    if constexpr (b == 0) {
      return moved;
    } else {
      constexpr uint32_t below = (((1u << b) - 1u) << kMaxInPlace) * 0x00010001u;
      return lop3<kLutSelect>(gather_top_bits<b - 1>(w), moved, below);
    }
  }

  // Sliced layout: merged word x from the lane's packed words.
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

  // The four B registers of k16 step `step` (0..3 within the unit), scaled if kScaleInMainloop.
  template <int step>
  __device__ __forceinline__ static void unpack(const uint32_t (&w)[kWordsPerLane],
                                                const Pair (&scale)[2], uint32_t (&b)[4]) {
    Pair v[4];
    if constexpr (Dense::kApplies) {
      v[0] = dense_pair<4 * step>(w), v[1] = dense_pair<4 * step + 1>(w),
      v[2] = dense_pair<4 * step + 2>(w), v[3] = dense_pair<4 * step + 3>(w);
    } else {
      // Fields of 8 bits: codes at bits 0 and 8 of a half; only bit 0 fits every mantissa.
      const uint32_t n0 = merged<2 * step>(w), n1 = merged<2 * step + 1>(w);
      const uint32_t h0 = shift_right<8>(n0), h1 = shift_right<8>(n1);
      v[0] = field_pair<0>(n0), v[1] = field_pair<0>(h0), v[2] = field_pair<0>(n1),
      v[3] = field_pair<0>(h1);
    }
#pragma unroll
    for (int p = 0; p < 4; ++p) {
      if constexpr (kScaleInMainloop) v[p] = __hmul2(v[p], scale[p / 2]);
      b[p] = as_u32(v[p]);
    }
  }
};

}  // namespace mixgemm
