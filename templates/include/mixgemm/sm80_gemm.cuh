// The sm80 kernel family: mixed-input GEMM C[M,N] = A[M,K] * dequant(W)[K,N] on mma.sync.
//
// One thread block computes a BM x BN output tile. Its K loop is a kStages-deep cp.async
// pipeline over BK-deep slices of A (fp16/bf16, row-major), the packed weight codes and their
// group scales. A fragments come from shared memory through ldmatrix; weight fragments are
// unpacked in registers by the Unpacker (the format seam, unpack.cuh) straight into the
// mma.m16n8k16 B layout, so no dequantized weight tile is ever written to shared memory.
//
// Instructions come from CuTe's atoms: SM80_CP_ASYNC_CACHEGLOBAL_ZFILL (cp.async.cg with a
// zero-fill predicate: rows past M and units past N/K read nothing), SM75_U32x4_LDSM_N
// (ldmatrix.x4) and SM80_16x8x16_F32{F16,BF16}..._TN (mma.sync, fp32 accumulation).
#pragma once

#include <cstdint>
#include <type_traits>

#include <cute/arch/copy_sm75.hpp>

#include "mixgemm/act_types.cuh"
#include "mixgemm/schedulers.cuh"
#include "mixgemm/stage_copy.cuh"
#include "mixgemm/unpack.cuh"

namespace mixgemm {


// Unpacker_ is the format seam (unpack.cuh): it fixes the bits per code and turns a lane's
// packed words into B fragments. Everything else here is format-independent.
template <class Act_, class Unpacker_, int kGroup_, int BM, int BN, int BK, int kStages_,
          class Scheduler_>
struct Sm80Gemm {
  using Act = Act_;
  using Scalar = typename Act::scalar;
  using Pair = typename Act::pair;
  using Unpacker = Unpacker_;
  using Scheduler = Scheduler_;
  static constexpr int kBits = Unpacker::kWordsPerLane;  // 32-bit words per lane per unit
  static constexpr int kGroup = kGroup_;  // 0: per-channel
  static constexpr int kStages = kStages_;
  static constexpr int kTileM = BM, kTileN = BN, kTileK = BK;
  static constexpr bool kPerChannel = kGroup == 0;

  // Warp layout; mirrored by KernelConfig.warp_* in codegen/config.py.
  static constexpr int kWarpTileM = BM < 64 ? BM : 64;
  static constexpr int kWarpsM = BM / kWarpTileM;
  static constexpr int kWarpsNRaw = (BN / 32 < 8 / kWarpsM) ? BN / 32 : 8 / kWarpsM;
  static constexpr int kWarpsN = kWarpsNRaw > 1 ? kWarpsNRaw : 1;
  static constexpr int kWarpTileN = BN / kWarpsN;
  static constexpr int kThreads = 32 * kWarpsM * kWarpsN;
  static constexpr int kMmaTilesM = kWarpTileM / 16;  // m16 MMA tiles per warp
  static constexpr int kUnitsN = kWarpTileN / 16;     // n16 packing units per warp
  // Where scales are applied: per-channel in the epilogue; group scales either by the unpacker
  // to each weight pair (HMUL2), or to fp32 partial sums once per group (kStepsPerScale).
  static constexpr bool kScaleInAccum = !kPerChannel && kMmaTilesM * 32 < kGroup;
  static_assert(Unpacker::kScaleInMainloop == (!kPerChannel && !kScaleInAccum),
                "the unpacker scales weights exactly when group scales are not applied to sums");

  // One packing unit is K 64 x N 16: 32 lanes x kBits words.
  static constexpr int kUnitWords = 32 * kBits;
  static constexpr int kScaleRows = kPerChannel ? 0 : (kGroup < BK ? BK / kGroup : 1);

  static constexpr int round128(int x) { return (x + 127) / 128 * 128; }
  static constexpr int kSmemA = round128(BM * BK * 2);
  static constexpr int kSmemB = round128(BK * BN * kBits / 8);
  static constexpr int kSmemS = round128(kScaleRows * BN * 2);
  static constexpr int kStageBytes = kSmemA + kSmemB + kSmemS;
  static constexpr int kSmemBytes = kStages * kStageBytes;

  // Register budget (ptxas hint, launch.cuh): decode tiles (warp tiles of 16-32 rows) are
  // latency-bound and want every warp that shared memory lets an SM hold, so they ask for that
  // many resident blocks, but never for fewer than 128 registers per thread (below that the
  // 3-bit mainloops spill). With a 1-block budget ptxas took 172 registers in the 16x128x256
  // mainloop: 2 blocks per H100 SM where shared memory holds 3. Tiles with 64-row warp tiles
  // (64+ accumulators per thread) keep the full budget (1).
  static constexpr int kMinRegsPerThread = 128;
  static constexpr int kBlocksByRegs = 65536 / (kThreads * kMinRegsPerThread);
  static constexpr int kBlocksBySmem = blocks_per_sm_by_smem(kSmemBytes);
  static constexpr int kMinBlocksPerSm =
      kMmaTilesM > 2 ? 1 : (kBlocksBySmem < kBlocksByRegs ? kBlocksBySmem : kBlocksByRegs);

  static_assert(BK % 64 == 0 && BM % 16 == 0 && kWarpTileN % 16 == 0, "tile shape");
  static_assert(kPerChannel || kGroup % 16 == 0, "a k16 step must not straddle two groups");

  struct Accum {
    float v[kMmaTilesM][kUnitsN][2][4];
  };

  // The lowest activation row, counted from the tile's m0, among this thread's accumulators
  // (rows g and g + 8 of each m16 tile, see store()).
  __device__ __forceinline__ static int accum_first_row() {
    return (threadIdx.x / 32) / kWarpsN * kWarpTileM + (threadIdx.x % 32) / 4;
  }

  __device__ __forceinline__ static void zero(Accum& acc) {
#pragma unroll
    for (int mi = 0; mi < kMmaTilesM; ++mi)
#pragma unroll
      for (int u = 0; u < kUnitsN; ++u)
#pragma unroll
        for (int j = 0; j < 2; ++j)
#pragma unroll
          for (int e = 0; e < 4; ++e) acc.v[mi][u][j][e] = 0.f;
  }

  // ---- global -> shared: one pipeline stage ---------------------------------------------------
  using Copy = StageCopy<kThreads>;

  // The activation half of a stage (the weight half is shared by both families:
  // load_stage_weights in stage_copy.cuh). Addresses are block-uniform bases (tile origin, K
  // slice) plus per-thread offsets that do not change from stage to stage.
  __device__ static void load_activations(const GemmParams& p, char* stage, int m0, int kt) {
    const int k0 = kt * BK;
    const int k_left = p.k - k0;  // a multiple of 64: the last slice may be partial
    const int m_left = p.m - m0;

    // A: BM rows of BK halves. 16-byte chunk kc of row r lands at chunk kc ^ (r % 8) so that
    // the eight rows one ldmatrix phase reads fall in eight different bank groups.
    constexpr int kChunksPerRowA = BK / 8;
    const Scalar* A = static_cast<const Scalar*>(p.a) + int64_t(m0) * p.lda + k0;
    Copy::template for_each_chunk<BM * kChunksPerRowA>([&](int c) {
      const int row = c / kChunksPerRowA, kc = c % kChunksPerRowA;
      const bool ok = row < m_left && kc * 8 < k_left;
      Copy::copy16(stage + row * (BK * 2) + ((kc ^ (row & 7)) << 4), A + row * p.lda + kc * 8,
                   ok, p.a);
    });
  }

  // ---- shared -> registers -> tensor cores -----------------------------------------------------
  // Group scales applied to fp32 partial sums: every kStepsPerScale k16 steps, acc += partial
  // * scale. Per thread that is one FFMA per accumulator per group instead of one HMUL2 per
  // weight pair and step: fewer instructions when the warp tile has few rows (kMmaTilesM * 32
  // < kGroup), and no fp16 rounding of scaled weights. Mirrored by
  // KernelConfig.scale_in_accumulators.
  static constexpr int kStepsPerScale = (kGroup > 0 && kGroup < BK ? kGroup : BK) / 16;

  __device__ __forceinline__ static void apply_group_scale(const Scalar* sS_row, Accum& partial,
                                                           Accum& acc, int warp_n, int lane) {
#pragma unroll
    for (int u = 0; u < kUnitsN; ++u) {
#pragma unroll
      for (int j = 0; j < 2; ++j) {
        // Accumulator columns 2t, 2t+1 of this n8 tile (mma.m16n8k16 C layout).
        const int col = warp_n * kWarpTileN + u * 16 + j * 8 + 2 * (lane & 3);
        const Pair s = *reinterpret_cast<const Pair*>(sS_row + col);
        const float s0 = Act::to_float(s.x), s1 = Act::to_float(s.y);
#pragma unroll
        for (int mi = 0; mi < kMmaTilesM; ++mi) {
          float(&d)[4] = acc.v[mi][u][j];
          float(&g)[4] = partial.v[mi][u][j];
          d[0] += g[0] * s0, d[1] += g[1] * s1, d[2] += g[2] * s0, d[3] += g[3] * s1;
          g[0] = g[1] = g[2] = g[3] = 0.f;
        }
      }
    }
  }

  __device__ static void compute_stage(const char* stage, Accum& acc, Accum& partial, int warp_m,
                                       int warp_n, int lane) {
    const char* sA = stage;
    const uint32_t* sB = reinterpret_cast<const uint32_t*>(stage + kSmemA);
    const Scalar* sS = reinterpret_cast<const Scalar*>(stage + kSmemA + kSmemB);
    uint32_t words[kUnitsN][kBits];
    Pair scale[kUnitsN][2];
    // MMAs accumulate into `partial` when group scales are applied to fp32 sums.
    Accum& target = kScaleInAccum ? partial : acc;

    static_for<0, BK / 16>([&](auto step_c) {
      constexpr int s = decltype(step_c)::value;
      constexpr int scale_row = kGroup < BK ? (s * 16) / (kGroup > 0 ? kGroup : 1) : 0;
      if constexpr (s % 4 == 0) {
#pragma unroll
        for (int u = 0; u < kUnitsN; ++u)
          load_lane_words(sB + ((s / 4) * (BN / 16) + warp_n * kUnitsN + u) * kUnitWords, lane,
                          words[u]);
      }
      if constexpr (Unpacker::kScaleInMainloop && s % kStepsPerScale == 0) {
#pragma unroll
        for (int u = 0; u < kUnitsN; ++u) {
          const int col = warp_n * kWarpTileN + u * 16 + (lane >> 2);
          scale[u][0] = Act::splat(sS[scale_row * BN + col]);
          scale[u][1] = Act::splat(sS[scale_row * BN + col + 8]);
        }
      }

      // ldmatrix.x4: lanes 0-15 address rows 0-15 of k-chunk 2s, lanes 16-31 of chunk 2s+1,
      // giving a0..a3 in the mma.m16n8k16 A order.
      uint32_t a[kMmaTilesM][4];
#pragma unroll
      for (int mi = 0; mi < kMmaTilesM; ++mi) {
        const int row = warp_m * kWarpTileM + mi * 16 + (lane & 15);
        const int chunk = s * 2 + (lane >> 4);
        const char* addr = sA + row * (BK * 2) + ((chunk ^ (row & 7)) << 4);
        cute::SM75_U32x4_LDSM_N::copy(*reinterpret_cast<const cute::uint128_t*>(addr), a[mi][0],
                                      a[mi][1], a[mi][2], a[mi][3]);
      }

#pragma unroll
      for (int u = 0; u < kUnitsN; ++u) {
        uint32_t b[4];
        Unpacker::template unpack<s % 4>(words[u], scale[u], b);
#pragma unroll
        for (int mi = 0; mi < kMmaTilesM; ++mi) {
#pragma unroll
          for (int j = 0; j < 2; ++j) {
            float(&d)[4] = target.v[mi][u][j];
            Act::Mma::fma(d[0], d[1], d[2], d[3], a[mi][0], a[mi][1], a[mi][2], a[mi][3],
                          b[2 * j], b[2 * j + 1], d[0], d[1], d[2], d[3]);
          }
        }
      }

      if constexpr (kScaleInAccum && (s + 1) % kStepsPerScale == 0)
        apply_group_scale(sS + scale_row * BN, partial, acc, warp_n, lane);
    });
  }

  // The multi-stage pipeline over K tiles [kt_begin, kt_end) of one output tile.
  __device__ static void mainloop(const GemmParams& p, char* smem, int m0, int n0, int kt_begin,
                                  int kt_end, Accum& acc) {
    const int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
    const int warp_m = warp / kWarpsN, warp_n = warp % kWarpsN;
    Accum partial;  // per-group fp32 sums (kScaleInAccum); otherwise unused and optimised away
    zero(acc);
    zero(partial);

    // Prologue: kStages-1 slices in flight, one commit group per slice (stage_copy.cuh). With
    // the one group per iteration below (maybe empty), cp.async.wait_group(kStages-2) always
    // means "slice i has landed".
    pipeline_prologue<Sm80Gemm, kStages - 1>(p, smem, m0, n0, kt_begin, kt_end);
    for (int kt = kt_begin; kt < kt_end; ++kt) {
      const int i = kt - kt_begin;
      cute::cp_async_wait<kStages - 2>();
      // Also guarantees every warp is done with slot (i-1) % kStages, refilled just below.
      __syncthreads();
      const int next = kt + kStages - 1;
      if (next < kt_end)
        load_stage<Sm80Gemm>(p, smem + ((i + kStages - 1) % kStages) * kStageBytes, m0, n0, next);
      cute::cp_async_fence();
      compute_stage(smem + (i % kStages) * kStageBytes, acc, partial, warp_m, warp_n, lane);
    }
    cute::cp_async_wait<0>();
    __syncthreads();  // shared memory is free for the next tile of a persistent scheduler
  }

  // ---- epilogue ---------------------------------------------------------------------------------
  // Accumulator layout of mma.m16n8k16 (PTX ISA): d0,d1 at (row g, cols 2t,2t+1), d2,d3 at
  // (row g+8, same cols), g = lane/4, t = lane%4.
  __device__ static void store(const GemmParams& p, const Accum& acc, int m0, int n0) {
    const int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
    const int warp_m = warp / kWarpsN, warp_n = warp % kWarpsN;
    const int g = lane >> 2, t = lane & 3;
    Scalar* C = static_cast<Scalar*>(p.c);
    const Scalar* S = static_cast<const Scalar*>(p.scales);
#pragma unroll
    for (int u = 0; u < kUnitsN; ++u) {
#pragma unroll
      for (int j = 0; j < 2; ++j) {
        const int col = n0 + warp_n * kWarpTileN + u * 16 + j * 8 + 2 * t;
        if (col >= p.n) continue;  // N % 16 == 0: a whole unit is in or out
        float s0 = 1.f, s1 = 1.f;
        if constexpr (kPerChannel) s0 = Act::to_float(S[col]), s1 = Act::to_float(S[col + 1]);
#pragma unroll
        for (int mi = 0; mi < kMmaTilesM; ++mi) {
#pragma unroll
          for (int h = 0; h < 2; ++h) {
            const int row = m0 + warp_m * kWarpTileM + mi * 16 + g + 8 * h;
            if (row < p.m) {
              const float* d = acc.v[mi][u][j];
              *reinterpret_cast<Pair*>(C + int64_t(row) * p.ldc + col) =
                  Act::to_pair(d[2 * h] * s0, d[2 * h + 1] * s1);
            }
          }
        }
      }
    }
  }

  __device__ static void run(const GemmParams& p) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 800
    extern __shared__ __align__(128) char smem[];
    Scheduler::template run<Sm80Gemm>(p, smem);
#endif
  }
};

}  // namespace mixgemm
