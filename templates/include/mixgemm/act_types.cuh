// Activation dtypes of the sm80 family: the 16-bit type, its MMA atom, and the "magic number"
// used to turn small integers into floats with one OR (no I2F).
#pragma once

#include <cstdint>
#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <cute/arch/mma_sm80.hpp>

namespace mixgemm {

// The 16-bit pattern of the integer v, duplicated into both halves of a 32-bit word, for a
// float format with `mantissa` explicit mantissa bits and exponent `bias`; exact when
// |v| < 2^(mantissa + 1). For compile-time constants of the unpackers.
__host__ __device__ constexpr uint32_t small_int_pair_bits(int v, int mantissa, int bias) {
  const int a = v < 0 ? -v : v;
  int e = 0;
  while ((2 << e) <= a) ++e;
  const uint32_t h =
      a == 0 ? 0u : (uint32_t(e + bias) << mantissa) | uint32_t((a - (1 << e)) << (mantissa - e));
  return (h | (v < 0 ? 0x8000u : 0u)) * 0x00010001u;
}

// The 16-bit pattern of 2^e (a normal number), duplicated into both halves.
__host__ __device__ constexpr uint32_t power_of_two_pair_bits(int e, int mantissa, int bias) {
  return (uint32_t(e + bias) << mantissa) * 0x00010001u;
}

struct F16 {
  using scalar = __half;
  using pair = __half2;
  // CuTe atom for mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 (PTX ISA 9.7.13.4.8).
  using Mma = cute::SM80_16x8x16_F32F16F16F32_TN;
  // 0x6400 is 1024.0 in fp16 with a zero 10-bit mantissa: OR-ing an integer v < 1024 into the
  // low bits gives exactly 1024 + v, so two codes become a half2 with one LOP3.
  static constexpr uint32_t kMagicPair = 0x64006400u;
  static constexpr int kMagicValue = 1024;
  static constexpr int kMantissaBits = 10;

  // The bits of the pair (v, v) for an integer |v| < 2048 (exact in fp16), at compile time.
  __host__ __device__ static constexpr uint32_t int_pair(int v) {
    return small_int_pair_bits(v, kMantissaBits, 15);
  }
  // The bits of the pair (2^e, 2^e).
  __host__ __device__ static constexpr uint32_t power_of_two_pair(int e) {
    return power_of_two_pair_bits(e, kMantissaBits, 15);
  }

  __device__ static pair to_pair(float lo, float hi) { return __floats2half2_rn(lo, hi); }
  __device__ static pair splat(scalar s) { return __half2half2(s); }
  __device__ static float to_float(scalar s) { return __half2float(s); }
  __device__ static scalar from_float(float f) { return __float2half_rn(f); }
};

struct BF16 {
  using scalar = __nv_bfloat16;
  using pair = __nv_bfloat162;
  using Mma = cute::SM80_16x8x16_F32BF16BF16F32_TN;
  // 0x4300 is 128.0 in bf16 with a zero 7-bit mantissa: exact for codes v < 128.
  static constexpr uint32_t kMagicPair = 0x43004300u;
  static constexpr int kMagicValue = 128;
  static constexpr int kMantissaBits = 7;

  // The bits of the pair (v, v) for an integer |v| < 256 (exact in bf16), at compile time.
  __host__ __device__ static constexpr uint32_t int_pair(int v) {
    return small_int_pair_bits(v, kMantissaBits, 127);
  }
  // The bits of the pair (2^e, 2^e).
  __host__ __device__ static constexpr uint32_t power_of_two_pair(int e) {
    return power_of_two_pair_bits(e, kMantissaBits, 127);
  }

  __device__ static pair to_pair(float lo, float hi) { return __floats2bfloat162_rn(lo, hi); }
  __device__ static pair splat(scalar s) { return __bfloat162bfloat162(s); }
  __device__ static float to_float(scalar s) { return __bfloat162float(s); }
  __device__ static scalar from_float(float f) { return __float2bfloat16_rn(f); }
};

// The unpackers' bias constants, checked where they are made.
static_assert(F16::int_pair(1032) == 0x64086408u && F16::int_pair(-72) == 0xD480D480u,
              "fp16 integer constants");
static_assert(BF16::int_pair(136) == 0x43084308u && BF16::int_pair(-12) == 0xC140C140u,
              "bf16 integer constants");
static_assert(F16::power_of_two_pair(-4) == 0x2C002C00u &&
                  BF16::power_of_two_pair(-3) == 0x3E003E00u,
              "powers of two");

template <class Pair>
__device__ __forceinline__ uint32_t as_u32(Pair p) {
  return *reinterpret_cast<uint32_t*>(&p);
}

template <class Pair>
__device__ __forceinline__ Pair as_pair(uint32_t u) {
  return *reinterpret_cast<Pair*>(&u);
}

}  // namespace mixgemm
