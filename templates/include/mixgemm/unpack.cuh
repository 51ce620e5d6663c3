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

// Bit-sliced layout of a `kBits`-wide code: slices of 4, 2 and 1 bits, widest (most
// significant) first, e.g. 3 = 2+1, 5 = 4+1, 7 = 4+2+1. A slice of width w holds 16/w fields
// in each 16-bit half of a word, so one word covers 4/w k16 steps and a slice takes w words
// per lane per unit: `kBits` words in all.
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
};

// Symmetric uniform codes: value = (code - 2^(bits-1)) * scale.
// `kScaleInMainloop` false (per-channel scales) leaves scaling to the epilogue.
template <class Act, int kBits, bool kScaleInMainloop_>
struct UniformUnpacker {
  static constexpr int kWordsPerLane = kBits;
  static constexpr bool kScaleInMainloop = kScaleInMainloop_;
  static constexpr int kZero = 1 << (kBits - 1);
  using Pair = typename Act::pair;
  using Slices = SliceLayout<kBits>;
  // The magic-number conversion needs the code to fit the mantissa (bf16: 7 bits).
  static constexpr bool kMagicFits = kBits <= Act::kMantissaBits;

  // Codes of pair `p` of k16 step `step` (0..3) into the two 16-bit halves of one word.
  __device__ __forceinline__ static uint32_t codes(const uint32_t (&w)[kWordsPerLane], int step,
                                                   int p) {
    uint32_t c = 0;
#pragma unroll
    for (int i = 0; i < Slices::count(); ++i) {
      const int width = Slices::width(i);
      const int steps_per_word = 4 / width;
      const uint32_t word = w[Slices::word_offset(i) + step / steps_per_word];
      const int field = (step % steps_per_word) * 4 + p;
      const uint32_t mask = ((1u << width) - 1u) * 0x00010001u;
      c |= ((word >> (field * width)) & mask) << Slices::code_shift(i);
    }
    return c;
  }

  __device__ __forceinline__ static void unpack(const uint32_t (&w)[kWordsPerLane], int step,
                                                const Pair (&scale)[2], uint32_t (&b)[4]) {
#pragma unroll
    for (int p = 0; p < 4; ++p) {
      const uint32_t c = codes(w, step, p);
      Pair v;
      if constexpr (kMagicFits) {
        // (magic + code) - (magic + zero) is exact in 16 bits; one rounding in the scale.
        const Pair biased = as_pair<Pair>(c | Act::kMagicPair);
        const Pair offset = as_pair<Pair>(Act::kMagicPair + ((kZero << 16) | kZero));
        v = __hsub2(biased, offset);
      } else {
        v = Act::to_pair(float(int(c & 0xffffu) - kZero), float(int(c >> 16) - kZero));
      }
      if constexpr (kScaleInMainloop) v = __hmul2(v, scale[p / 2]);
      b[p] = as_u32(v);
    }
  }
};

}  // namespace mixgemm
