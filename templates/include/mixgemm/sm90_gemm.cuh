// The sm90 kernel family (H100/H200, built for sm_90a): mixed-input GEMM on warpgroup MMA.
//
// wgmma takes its A operand from registers and B from shared memory, so the problem is computed
// transposed: C^T[N, M] = dequant(W)^T[N, K] * A^T[K, M]. The weights are the register operand:
// each warp unpacks its 16 weight columns (one packing unit, the same packed layout as the sm80
// family, python/mixgemm/pack.py) straight into the wgmma A fragment, and the activations are
// the shared-memory operand, read by the tensor cores through a matrix descriptor. One wgmma
// m64nBMk16 per warpgroup and k16 step replaces BM/16 x 8 mma.sync of the sm80 family, and the
// unpack work per MMA falls by the same factor: what makes large M (prefill) fast.
//
// One thread block: BN/64 warpgroups (up to 4, sharing one activation slice), each 64 weight
// columns x BM activation rows, over a kStages-deep pipeline of BK-deep slices (activations,
// packed weights, group scales) that cp.async or the copy engine fill (kBulkWeights,
// kTmaActivations), the copy engine's copies issued by thread 0 or by a warp of their own
// (kProducerWarp).
#pragma once

#include <cstdint>
#include <type_traits>
#include <utility>

#include <cute/arch/mma_sm90_desc.hpp>
#include <cute/arch/mma_sm90_gmma.hpp>

#include "mixgemm/act_types.cuh"
#include "mixgemm/bulk_copy.cuh"
#include "mixgemm/schedulers.cuh"
#include "mixgemm/stage_copy.cuh"
#include "mixgemm/unpack.cuh"

namespace mixgemm {

// wgmma.m64nNk16 with A from registers, B K-major from shared memory, fp32 accumulators.
template <class Act, int N>
struct WgmmaRS;
#define MIXGEMM_WGMMA_RS(ACT, TAG, N)                                                          \
  template <>                                                                                  \
  struct WgmmaRS<ACT, N> {                                                                     \
    using type = cute::SM90::GMMA::MMA_64x##N##x16_F32##TAG##_RS<cute::SM90::GMMA::Major::K, \
                                                                 cute::SM90::GMMA::Major::K>; \
  };
MIXGEMM_WGMMA_RS(F16, F16F16, 8)
MIXGEMM_WGMMA_RS(F16, F16F16, 16)
MIXGEMM_WGMMA_RS(F16, F16F16, 32)
MIXGEMM_WGMMA_RS(F16, F16F16, 64)
MIXGEMM_WGMMA_RS(F16, F16F16, 128)
MIXGEMM_WGMMA_RS(F16, F16F16, 256)
MIXGEMM_WGMMA_RS(BF16, BF16BF16, 8)
MIXGEMM_WGMMA_RS(BF16, BF16BF16, 16)
MIXGEMM_WGMMA_RS(BF16, BF16BF16, 32)
MIXGEMM_WGMMA_RS(BF16, BF16BF16, 64)
MIXGEMM_WGMMA_RS(BF16, BF16BF16, 128)
MIXGEMM_WGMMA_RS(BF16, BF16BF16, 256)
#undef MIXGEMM_WGMMA_RS

template <class Act_, class Unpacker_, int kGroup_, int BM, int BN, int BK, int kStages_,
          class Scheduler_, bool kBulkWeights_ = false, bool kTmaActivations_ = false,
          bool kProducerWarp_ = false>
struct Sm90Gemm {
  using Act = Act_;
  using Scalar = typename Act::scalar;
  using Pair = typename Act::pair;
  using Unpacker = Unpacker_;
  using Scheduler = Scheduler_;
  using Wgmma = typename WgmmaRS<Act, BM>::type;
  static constexpr int kBits = Unpacker::kWordsPerLane;
  static constexpr int kGroup = kGroup_;  // 0: per-channel
  static constexpr int kStages = kStages_;
  // How the packed weights and scales reach shared memory: 16-byte cp.async chunks from every
  // thread, or bulk copies from one (`_bulk` in the kernel name; see "global -> shared").
  static constexpr bool kBulkWeights = kBulkWeights_;
  // And the activations by the copy engine too (`_tma` in the name): one TMA box per 64-deep
  // column block, which writes the 128-byte swizzle and zero-fills past M and K itself (see
  // tma_activations). Rides on the bulk path's stage barriers.
  static constexpr bool kTmaActivations = kTmaActivations_;
  static_assert(!kTmaActivations || kBulkWeights, "TMA activations need the bulk path's barriers");
  // With every copy on the copy engine, one extra warp may issue them all (`_pw` in the name:
  // the producer, after the kThreads threads that compute), so that no computing warp stops
  // for copy work or for a slot to come free, and the warpgroups need not meet once per slice
  // (mainloop_producer_warp).
  static constexpr bool kProducerWarp = kProducerWarp_;
  static_assert(!kProducerWarp || kTmaActivations, "a producer warp copies by TMA only");
  static constexpr int kTileM = BM, kTileN = BN, kTileK = BK;
  static constexpr int kAccumRows = BM;  // rows of the accumulator tile
  static constexpr bool kPerChannel = kGroup == 0;

  // Layout; mirrored by KernelConfig (codegen/config.py).
  static constexpr int kWarpGroups = BN / 64;
  static constexpr int kThreads = 128 * kWarpGroups;
  static constexpr int kSteps = BK / 16;
  static constexpr int kUnitWords = 32 * kBits;
  static constexpr int kScaleRows = kPerChannel ? 0 : (kGroup < BK ? BK / kGroup : 1);
  static constexpr int kStepsPerScale = (kGroup > 0 && kGroup < BK ? kGroup : BK) / 16;

  // Shared memory per stage: activations first (the 128-byte swizzle repeats every 1024 bytes,
  // so the descriptor's base must be 1024-aligned), then packed weights, then scales.
  static constexpr int round_up(int x, int a) { return (x + a - 1) / a * a; }
  static constexpr int kSmemA = BM * BK * 2;
  static constexpr int kSmemB = round_up(BK * BN * kBits / 8, 128);
  static constexpr int kSmemS = round_up(kScaleRows * BN * 2, 128);
  static constexpr int kStageBytes = round_up(kSmemA + kSmemB + kSmemS, 1024);
  // After the stages: one barrier per stage that the copies fill ("full"; kBulkWeights,
  // bulk_copy.cuh), and with a producer warp one per stage that its readers release ("empty"),
  // then slack for the alignment.
  // 8 bytes per barrier, in 64-byte units: 64 up to 8 stages (4 with a producer warp).
  static constexpr int kBarrierBytes = round_up(kStages * 8 * (kProducerWarp ? 2 : 1), 64);
  static constexpr int kSmemBytes = kStages * kStageBytes + kBarrierBytes + 1024;
  // One pipeline per block (pipes: sm80_gemm.cuh).
  static constexpr int kPipes = 1;
  static constexpr int kBlockThreads = kThreads + (kProducerWarp ? 32 : 0);
  static constexpr int kBlockSmemBytes = kSmemBytes;
  // ptxas hint (launch.cuh): the blocks per SM that shared memory allows, where that is 2 or
  // more and leaves a thread at least kMinRegsPerThread registers, so that a few registers more
  // never halve the blocks an SM holds (v93: 98 registers instead of 96 fit one 9-warp block on
  // an SM instead of two, and took 1.3x the time; blocks_per_sm_by_registers). Otherwise none
  // (0): the 256-row tile, at 254 registers, spills with any hint, and the wider tiles run one
  // block per SM with every register they want. bench/occupancy.py checks built kernels
  // against this rule.
  static constexpr int kBlocksBySmem = blocks_per_sm_by_smem(kBlockSmemBytes);
  static constexpr int kMinRegsPerThread = 96;
  static constexpr int kMinBlocksPerSm =
      kBlocksBySmem >= 2 &&
              blocks_per_sm_by_registers(kBlockThreads, kMinRegsPerThread) >= kBlocksBySmem
          ? kBlocksBySmem
          : 0;

  static_assert(BN % 64 == 0 && kThreads <= 512, "one to four warpgroups of 64 weight columns");
  // BM is the wgmma N: 8, 16 and 32 rows serve batches the 64-row tiles would pad, at the same
  // unpack cost per weight and an eighth to a half of the tensor work.
  static_assert(BK % 64 == 0 &&
                    (BM == 8 || BM == 16 || BM == 32 || BM == 64 || BM == 128 || BM == 256),
                "tile shape");
  static_assert(kPerChannel || kGroup % 16 == 0, "a k16 step must not straddle two groups");

  struct Accum {
    float v[BM / 2];  // wgmma D fragment: 4 per n8 column block of the BM activation rows
  };

  // The lowest activation row, counted from the tile's m0, among this thread's accumulators
  // (rows 8i + 2t and 8i + 2t + 1, see store()).
  __device__ __forceinline__ static int accum_first_row() { return 2 * (threadIdx.x % 4); }

  // Whether this thread is one of the kThreads that compute (not the producer warp's).
  __device__ __forceinline__ static bool computes() {
    return !kProducerWarp || threadIdx.x < kThreads;
  }

  __device__ __forceinline__ static void zero(Accum& acc) {
#pragma unroll
    for (int i = 0; i < BM / 2; ++i) acc.v[i] = 0.f;
  }

  // ---- global -> shared ------------------------------------------------------------------------
  using Copy = StageCopy<kThreads>;

  // The activation half of a stage (the weight half: load_stage_weights in stage_copy.cuh).
  __device__ static void load_activations(const GemmParams& p, char* stage, int m0, int kt) {
    const int k0 = kt * BK;
    const int k_left = p.k - k0;
    const int m_left = p.m - m0;

    // Activations: BK/64 column blocks of [BM rows][64 halves], 128 bytes per row, the 16-byte
    // chunk c of row r stored at chunk c ^ (r % 8): the wgmma K-major 128-byte swizzle.
    const Scalar* A = static_cast<const Scalar*>(p.a) + int64_t(m0) * p.lda + k0;
    Copy::template for_each_chunk<BM * BK / 8>([&](int c) {
      const int block = c / (BM * 8), row = (c / 8) % BM, chunk = c % 8;
      const int k = block * 64 + chunk * 8;
      const bool ok = row < m_left && k < k_left;
      Copy::copy16(stage + block * (BM * 128) + row * 128 + ((chunk ^ (row & 7)) << 4),
                   A + row * p.lda + k, ok, p.a);
    });
  }

  // Bulk weights (kBulkWeights): the weights and scales go by bulk copies (bulk_copy.cuh)
  // issued by thread 0, one per 64-deep row of packing units (contiguous in global memory,
  // python/mixgemm/pack.py) and one per scale row, counted on the stage's barrier. Recomputing
  // every thread's 16-byte chunk addresses, bounds and fallback sources each slice costs the
  // cp.async path about 9 of its 34 instructions per packed word (bench/NOTES.md, session 8).
  // The activations stay on cp.async, from sources set up once per tile (ActSource), because
  // wgmma wants them in the 128-byte swizzle, which a plain bulk copy cannot write.
  static constexpr int kUnitBytes = kUnitWords * 4;
  static constexpr int kRowBytesW = (BN / 16) * kUnitBytes;  // one 64-deep row of units

  __device__ __forceinline__ static uint64_t* stage_barriers(char* smem) {
    return reinterpret_cast<uint64_t*>(smem + kStages * kStageBytes);
  }

  // The weights and scales of slice kt into `stage`, announced on `full`; thread 0 only. Rows
  // past K and units past N are not copied: what the stage held stays there, and is harmless
  // (zero_scale_regions, store()).
  __device__ static void bulk_weights(const GemmParams& p, char* stage, uint64_t* full, int n0,
                                      int kt) {
    const int k0 = kt * BK, k_left = p.k - k0;
    const int units_n = p.n / 16;
    const int units = min(BN / 16, units_n - n0 / 16);
    const uint32_t row_bytes = uint32_t(units) * kUnitBytes;
    const int rows = min(BK / 64, k_left / 64);
    int scale_rows = 0;
    uint32_t scale_row_bytes = 0;
    if constexpr (kScaleRows > 0) {
      scale_rows = kGroup < BK ? min(kScaleRows, (k_left + kGroup - 1) / kGroup) : 1;
      scale_row_bytes = uint32_t(min(BN, p.n - n0)) * 2;
    }
    bulk::arrive_expecting(full, rows * row_bytes + scale_rows * scale_row_bytes);
    const uint32_t* W = p.w + (int64_t(k0 / 64) * units_n + n0 / 16) * kUnitWords;
#pragma unroll
    for (int r = 0; r < BK / 64; ++r)
      if (r < rows)
        bulk::copy(stage + kSmemA + r * kRowBytesW, W + int64_t(r) * units_n * kUnitWords,
                   row_bytes, full);
    if constexpr (kScaleRows > 0) {
      const Scalar* S = static_cast<const Scalar*>(p.scales) + int64_t(k0 / kGroup) * p.n + n0;
#pragma unroll
      for (int r = 0; r < kScaleRows; ++r)
        if (r < scale_rows)
          bulk::copy(stage + kSmemA + kSmemB + r * BN * 2, S + int64_t(r) * p.n,
                     scale_row_bytes, full);
    }
  }

  // TMA activations (kTmaActivations): the BK/64 column blocks of slice kt, each a [BM rows]
  // [64 halves] box of the activations' tensor map (p is the kernel's TmaGemmParams) into its
  // place in `stage`, announced on `full`; thread 0 only.
  // The map's 128-byte swizzle is the wgmma layout (load_activations), and the boxes' rows past
  // M and columns past K arrive as zeros, so every box is copied whole: a partial last slice
  // then multiplies the weight rows it did not copy by zeros, as the cp.async path does.
  __device__ static void tma_activations(const GemmParams& p, char* stage, uint64_t* full, int m0,
                                         int kt) {
    constexpr uint32_t kBoxBytes = BM * 128;
    bulk::arrive_expecting(full, (BK / 64) * kBoxBytes);
#pragma unroll
    for (int b = 0; b < BK / 64; ++b)
      bulk::copy_tile_2d(stage + b * kBoxBytes, &static_cast<const TmaGemmParams&>(p).act_map,
                         kt * BK + b * 64, m0, full);
  }

  // A partial last K slice copies fewer scale rows than a stage holds, and its steps past K
  // still multiply the rows left over by zero-filled activations: zeroed once per block, those
  // rows hold a real scale or zero, never a NaN or Inf that 0 * scale would spread. (Weights of
  // any bit pattern unpack to finite values.)
  __device__ static void zero_scale_regions(char* smem) {
    if constexpr (kScaleRows > 0) {
      constexpr int kChunks = kSmemS / 16;
      for (int c = threadIdx.x; c < kStages * kChunks; c += kBlockThreads)
        *reinterpret_cast<uint4*>(smem + (c / kChunks) * kStageBytes + kSmemA + kSmemB +
                                  (c % kChunks) * 16) = make_uint4(0, 0, 0, 0);
    }
  }

  // Activations: BK/64 column blocks of [BM rows][64 halves], 128 bytes per row, the 16-byte
  // chunk c of row r stored at chunk c ^ (r % 8): the wgmma K-major 128-byte swizzle. Thread t
  // copies chunk t % 8 of rows t / 8 + j * kRowStepA (j = 0, 1, ...), through every column
  // block in turn; since kRowStepA is a multiple of 8, the swizzle of all of them is t's.
  static constexpr int kPassesA = BM * BK / 8 / kThreads;
  static constexpr int kRowStepA = kThreads / 8;
  static_assert(!kBulkWeights || kTmaActivations ||
                    (BM * BK / 8 % kThreads == 0 && BM % kRowStepA == 0 && kRowStepA % 8 == 0),
                "a thread's activation chunks: whole passes over the rows");

  struct ActSource {
    const Scalar* a;  // this thread's first chunk of the next slice to copy (in row t / 8)
    int rows_left;    // rows of the tile from row t / 8 on that lie below M
  };
  __device__ __forceinline__ static ActSource act_source(const GemmParams& p, int m0, int kt) {
    const int row = threadIdx.x / 8, chunk = threadIdx.x % 8;
    return {static_cast<const Scalar*>(p.a) + int64_t(m0 + row) * p.lda + int64_t(kt) * BK +
                chunk * 8,
            p.m - m0 - row};
  }

  // Slice kt, the one after the last copied from `src`, which then moves on by one slice.
  __device__ static void copy_activations(const GemmParams& p, char* stage, ActSource& src,
                                          int kt) {
    const int row = threadIdx.x / 8, chunk = threadIdx.x % 8;
    const int k_left = p.k - kt * BK;
    char* dst = stage + row * 128 + ((chunk ^ (row & 7)) << 4);
#pragma unroll
    for (int j = 0; j < kPassesA; ++j) {
      constexpr int kPassesPerBlock = BM / kRowStepA;
      const int block = j / kPassesPerBlock, row_off = (j % kPassesPerBlock) * kRowStepA;
      const bool ok = row_off < src.rows_left && block * 64 + chunk * 8 < k_left;
      Copy::copy16(dst + block * (BM * 128) + row_off * 128,
                   src.a + int64_t(row_off) * p.lda + block * 64, ok, p.a);
    }
    src.a += BK;
  }

  // ---- tensor cores ------------------------------------------------------------------------------
  // Shared-memory matrix descriptor of a stage's activation slice at k16 step 0: K-major,
  // 128-byte swizzle, 8-row core matrices 1024 bytes apart (PTX ISA, "Matrix Descriptor
  // Format"). Step s starts step_offset(s) 16-byte units further: added to the descriptor, it
  // lands in the start-address field (the low 14 bits; shared addresses stay below 2^18).
  __device__ __forceinline__ static uint64_t act_descriptor(const char* stage) {
    cute::GmmaDescriptor d;
    const uint32_t addr = static_cast<uint32_t>(__cvta_generic_to_shared(stage));
    d.bitfield.start_address_ = uint16_t(addr >> 4);
    d.bitfield.leading_byte_offset_ = 1;  // unused with a swizzled K-major layout
    d.bitfield.stride_byte_offset_ = 1024 >> 4;
    d.bitfield.base_offset_ = 0;
    d.bitfield.layout_type_ = uint8_t(cute::SM90::GMMA::LayoutType::B128);
    return d.desc_;
  }
  static constexpr uint64_t step_offset(int s) {
    return ((s / 4) * (BM * 128) + (s % 4) * 32) >> 4;
  }

  template <size_t... I>
  __device__ __forceinline__ static void wgmma(const uint32_t (&a)[4], uint64_t desc, Accum& acc,
                                               cute::SM90::GMMA::ScaleOut accumulate,
                                               std::index_sequence<I...>) {
    Wgmma::fma(a[0], a[1], a[2], a[3], desc, acc.v[I]..., accumulate);
  }

  __device__ __forceinline__ static void fence_accumulators(Accum& acc) {
#pragma unroll
    for (int i = 0; i < BM / 2; ++i) cute::warpgroup_fence_operand(acc.v[i]);
  }

  // wgmma issued and not yet waited for, per warpgroup, once the next one is issued: each
  // step's wgmma reads its unpacked fragments from registers, so the warps can run ahead of the
  // tensor cores only by this many steps.
  static constexpr int kWgmmaInFlight = 4;
  static_assert(kWgmmaInFlight >= 2 && kWgmmaInFlight <= BK / 16, "wgmma in flight");

  // Where group scales are applied: to every weight pair by the unpacker (HMUL2), or to fp32
  // partial sums once per group. A thread's wgmma accumulators are BM / 2, against 32 weight
  // pairs per group of 128: with 16 or 32 rows one FFMA per accumulator and group is 8 or 16
  // instructions where the HMUL2 are 32 (and the scaled weights are not rounded to 16 bits).
  // Each group's wgmma accumulate into a partial-sum set of their own (the first with
  // ScaleOut::Zero), two sets taking turns; a group's set is folded into the sums
  // kWgmmaInFlight - 1 steps after its last wgmma, when the wait has seen it complete, and
  // before the set is reused two groups on. That needs groups of kWgmmaInFlight steps or more,
  // and an even number of groups per slice, so that a step's set is a compile-time choice. The
  // slice's last group is folded at its end, after waiting for all its wgmma: folded in the
  // next slice instead, ptxas serialized every wgmma of the loop (C7514: it cannot tell that
  // the wait covers the previous iteration's wgmma).
  // Slices of 256 only: the 32x256x128 Stream-K tile spilled with it (group 64).
  // Mirrored by KernelConfig.scale_in_accumulators.
  static constexpr bool kScaleInAccum = !kPerChannel && BM <= 32 && BK >= 256 &&
                                        kStepsPerScale >= kWgmmaInFlight &&
                                        kSteps % (2 * kStepsPerScale) == 0;
  static_assert(Unpacker::kScaleInMainloop == (!kPerChannel && !kScaleInAccum),
                "the unpacker scales weights exactly when group scales are not applied to sums");

  // The partial sums of the groups in flight and their two scales per thread (columns g and
  // g + 8 of its warp's unit). Unused (and optimised away) unless kScaleInAccum.
  struct GroupSums {
    Accum partial[2];
    float scale[2][2];
  };
  __device__ __forceinline__ static void zero(GroupSums& sums) {
#pragma unroll
    for (int j = 0; j < 2; ++j) {
      zero(sums.partial[j]);
      sums.scale[j][0] = sums.scale[j][1] = 0.f;
    }
  }
  // acc += the partial sums of set j times their scales (D row g + 8h: scale[j][h], see store()).
  __device__ __forceinline__ static void fold_group(GroupSums& sums, int j, Accum& acc) {
    fence_accumulators(sums.partial[j]);
#pragma unroll
    for (int i = 0; i < BM / 8; ++i)
#pragma unroll
      for (int h = 0; h < 2; ++h)
#pragma unroll
        for (int e = 0; e < 2; ++e)
          acc.v[4 * i + 2 * h + e] += sums.partial[j].v[4 * i + 2 * h + e] * sums.scale[j][h];
    fence_accumulators(sums.partial[j]);
  }

  // `first_step_done()` runs once the slice's first wgmma have been issued and every one of
  // the previous slice has completed (its stage is then read to the end).
  template <class FirstStepDone>
  __device__ static void compute_stage(const char* stage, Accum& acc, GroupSums& sums,
                                       FirstStepDone&& first_step_done) {
    const int lane = threadIdx.x % 32, warp = threadIdx.x / 32;  // warp w: packing unit w
    const uint32_t* sB = reinterpret_cast<const uint32_t*>(stage + kSmemA);
    const Scalar* sS = reinterpret_cast<const Scalar*>(stage + kSmemA + kSmemB);
    uint32_t words[kBits];
    Pair scale[2] = {Act::to_pair(1.f, 1.f), Act::to_pair(1.f, 1.f)};
    uint32_t frag[2][4];  // step s+1 is unpacked while wgmma s runs (names only, see below)

    auto unpack_step = [&](auto step_c) {
      constexpr int s = decltype(step_c)::value;
      if constexpr (s % 4 == 0) {
        load_lane_words(sB + ((s / 4) * (BN / 16) + warp) * kUnitWords, lane, words);
      }
      if constexpr (!kPerChannel && s % kStepsPerScale == 0) {
        constexpr int row = kGroup < BK ? (s * 16) / (kGroup > 0 ? kGroup : 1) : 0;
        const int col = warp * 16 + (lane >> 2);
        if constexpr (kScaleInAccum) {
          float(&group_scale)[2] = sums.scale[(s / kStepsPerScale) % 2];
          group_scale[0] = Act::to_float(sS[row * BN + col]);
          group_scale[1] = Act::to_float(sS[row * BN + col + 8]);
        } else {
          scale[0] = Act::splat(sS[row * BN + col]);
          scale[1] = Act::splat(sS[row * BN + col + 8]);
        }
      }
      uint32_t b[4];
      Unpacker::template unpack<s % 4>(words, scale, b);
      // mma B order (n8 tile j, k half r) -> wgmma A order: a0 (row g, k lo), a1 (row g+8,
      // k lo), a2 (row g, k hi), a3 (row g+8, k hi), rows being weight columns.
      uint32_t(&a)[4] = frag[s % 2];
      a[0] = b[0], a[1] = b[2], a[2] = b[1], a[3] = b[3];
    };

    const uint64_t desc = act_descriptor(stage);
    unpack_step(std::integral_constant<int, 0>{});
    static_for<0, kSteps>([&](auto step_c) {
      constexpr int s = decltype(step_c)::value;
#pragma unroll
      for (int i = 0; i < 4; ++i) cute::warpgroup_fence_operand(frag[s % 2][i]);
      cute::warpgroup_arrive();
      if constexpr (kScaleInAccum) {
        Accum& partial = sums.partial[(s / kStepsPerScale) % 2];
        fence_accumulators(partial);
        wgmma(frag[s % 2], desc + step_offset(s), partial,
              s % kStepsPerScale == 0 ? cute::SM90::GMMA::ScaleOut::Zero
                                      : cute::SM90::GMMA::ScaleOut::One,
              std::make_index_sequence<BM / 2>{});
      } else {
        wgmma(frag[s % 2], desc + step_offset(s), acc, cute::SM90::GMMA::ScaleOut::One,
              std::make_index_sequence<BM / 2>{});
      }
      cute::warpgroup_commit_batch();
      if constexpr (s + 1 < kSteps) {
        // Unpack step s+1 while wgmma s runs, then let at most kWgmmaInFlight - 1 wgmma stay
        // in flight. The unpacked fragments are new values (new PTX registers), not writes to
        // the registers older wgmma may still be reading; ptxas keeps those live until this
        // wait.
        unpack_step(std::integral_constant<int, s + 1>{});
      }
      // (After the last step the wait lets the last wgmma run into the next slice, unless
      // kScaleInAccum waits for them below: they read this slice's shared memory, which the
      // pipeline refills only two slices later, kPrefetch below, and are complete by the next
      // slice's first_step_done().)
      cute::warpgroup_wait<kWgmmaInFlight - 1>();
      // The pending wgmma are now steps s - kWgmmaInFlight + 2 .. s at most.
      if constexpr (s + 1 < kSteps && s == kWgmmaInFlight - 2) first_step_done();
      if constexpr (kScaleInAccum) {
        // Step s - kWgmmaInFlight + 1 has completed: fold its group if it was the last step.
        constexpr int done = s - (kWgmmaInFlight - 1);
        if constexpr (done >= 0 && (done + 1) % kStepsPerScale == 0)
          fold_group(sums, (done / kStepsPerScale) % 2, acc);
        if constexpr (s + 1 == kSteps) {
          cute::warpgroup_wait<0>();
          fold_group(sums, 1, acc);
        }
      }
    });
  }

  // Slices in flight ahead of the one being computed, where the computing threads copy too:
  // kStages - 2, because the wgmma of the previous slice may still be reading its slot when the
  // next load is issued. A producer warp keeps all kStages slots in flight instead (a slot is
  // refilled once its readers release it), so two stages are enough there.
  static constexpr int kPrefetch = kStages - 2;
  static_assert(kStages >= (kProducerWarp ? 2 : 3),
                "the sm90 pipeline needs three stages or more, two with a producer warp");
  static_assert(kSteps % 2 == 0, "fragment buffers alternate across slices");

  // The multi-stage pipeline over K tiles [kt_begin, kt_end) of one output tile.
  //
  // cp.async path: every thread copies its chunks of every operand (stage_copy.cuh), and a
  // slice has landed when every thread's cp.async group of it has. Bulk path (kBulkWeights):
  // thread 0 copies the weights and scales (bulk_weights), every thread its activation chunks,
  // and a slice has also to complete its stage's barrier phase: slice i of the range is the
  // (i / kStages)-th phase of barrier i % kStages, the barriers being set up afresh for each
  // range. TMA path (kTmaActivations): thread 0 copies everything. On all three, a
  // __syncthreads per slice frees the slot to refill; a producer warp does without it
  // (mainloop_producer_warp).
  __device__ static void mainloop(const GemmParams& p, char* smem, int m0, int n0, int kt_begin,
                                  int kt_end, Accum& acc) {
    if constexpr (kProducerWarp)
      mainloop_producer_warp(p, smem, m0, n0, kt_begin, kt_end, acc);
    else
      mainloop_copying_threads(p, smem, m0, n0, kt_begin, kt_end, acc);
  }

  // The pipeline without a producer warp: the computing threads issue the copies (see above).
  __device__ static void mainloop_copying_threads(const GemmParams& p, char* smem, int m0,
                                                  int n0, int kt_begin, int kt_end,
                                                  Accum& acc) {
    [[maybe_unused]] uint64_t* full = stage_barriers(smem);
    [[maybe_unused]] const bool producer = threadIdx.x == 0;
    [[maybe_unused]] ActSource src;
    auto stage = [&](int slot) { return smem + slot * kStageBytes; };
    if constexpr (kBulkWeights) {
      if (producer) {
        // One arrival for the weights, and one for the activations when they come by TMA
        // (issued apart: under programmatic dependent launch the weights go first).
#pragma unroll
        for (int s = 0; s < kStages; ++s) bulk::init(&full[s], kTmaActivations ? 2 : 1);
        bulk::fence_init();  // the other threads wait on them after the loop's first barrier
      }
      if constexpr (!kTmaActivations) src = act_source(p, m0, kt_begin);
    }
    // The two halves of slice kt into `slot`, each by its copy path.
    auto weights = [&](int slot, int kt) {
      if constexpr (kBulkWeights) {
        if (producer) bulk_weights(p, stage(slot), &full[slot], n0, kt);
      } else {
        load_stage_weights<Sm90Gemm>(p, stage(slot), n0, kt);
      }
    };
    auto activations = [&](int slot, int kt) {
      if constexpr (kTmaActivations) {
        if (producer) tma_activations(p, stage(slot), &full[slot], m0, kt);
      } else if constexpr (kBulkWeights) {
        copy_activations(p, stage(slot), src, kt);
      } else {
        load_activations(p, stage(slot), m0, kt);
      }
    };
    GroupSums sums;  // kScaleInAccum
    zero(acc);
    zero(sums);
    fence_accumulators(acc);
    pipeline_prologue<kPrefetch>(
        p, kt_begin, kt_end, [&](int st) { weights(st, kt_begin + st); },
        [&](int st) { activations(st, kt_begin + st); });
    // The slots as constants (for_each_slice) on the bulk paths; the cp.async path's
    // per-thread copies would spill registers over the kStages-fold longer loop.
    for_each_slice<kStages, kBulkWeights>(0, kt_end - kt_begin, [&](auto slot, int i, int parity) {
      const int kt = kt_begin + i;
      if constexpr (!kTmaActivations) {
        cute::cp_async_wait<kPrefetch - 1>();
        // cp.async wrote through the generic proxy; wgmma reads through the async proxy. (The
        // copy engine writes through the async proxy: TMA activations need no fence.)
        asm volatile("fence.proxy.async.shared::cta;\n" ::: "memory");
      }
      // After it: every thread's slice-i cp.async data has landed (what the copy engine writes
      // is waited for on the barrier below), and every wgmma older than the last
      // kWgmmaInFlight - 1 of slice i-1 is complete, so slot (i + kPrefetch) % kStages =
      // (i - 2) % kStages is free.
      __syncthreads();
      const int next = kt + kPrefetch;
      if (next < kt_end) {
        const int refill = (slot + kPrefetch) % kStages;
        // (The order each path was measured with: thread 0 hands the copy engine its weights
        // before its own activation chunks.)
        if constexpr (kBulkWeights) {
          weights(refill, next);
          activations(refill, next);
        } else {
          activations(refill, next);
          weights(refill, next);
        }
      }
      cute::cp_async_fence();
      if constexpr (kBulkWeights) bulk::wait(&full[slot], parity);
      compute_stage(stage(slot), acc, sums, [] {});
    });
    cute::warpgroup_wait<0>();
    fence_accumulators(acc);
    cute::cp_async_wait<0>();
    __syncthreads();  // shared memory is free for the next tile of a persistent scheduler
    if constexpr (kBulkWeights) {
      if (producer) {
#pragma unroll
        for (int s = 0; s < kStages; ++s) bulk::invalidate(&full[s]);
      }
    }
  }

  // The pipeline with a producer warp (kProducerWarp): its first lane issues every copy, slice
  // i of the range into slot i % kStages once the slice that was there is released; the
  // computing warps wait for each slice on its "full" barrier and release it on its "empty"
  // one, each warp as soon as its own wgmmas are done reading it. Nothing else joins them: no
  // warp waits for another within the range, and all kStages slots are in flight (against
  // kStages - 2 with a barrier per slice). Slice i is the (i / kStages)-th phase of both
  // barriers of slot i % kStages, set up afresh for each range.
  __device__ static void mainloop_producer_warp(const GemmParams& p, char* smem, int m0, int n0,
                                                int kt_begin, int kt_end, Accum& acc) {
    uint64_t* full = stage_barriers(smem);
    uint64_t* empty = full + kStages;
    auto stage = [&](int slot) { return smem + slot * kStageBytes; };
    const int lane = threadIdx.x % 32;
    const bool producer = !computes();
    if (producer && lane == 0) {
#pragma unroll
      for (int s = 0; s < kStages; ++s) {
        bulk::init(&full[s], 2);  // the weights' arrival and the activations'
        bulk::init(&empty[s], kThreads / 32);
      }
      bulk::fence_init();
    }
    __syncthreads();  // the barriers are set up
    const int slices = kt_end - kt_begin;
    if (producer) {
      if (lane == 0) {
        // Under programmatic dependent launch the first slots' weights go before the wait for
        // the previous kernel, which the activations may come from (pipeline_prologue).
        int i = 0;
        if (p.programmatic_launch) {
          for (; i < slices && i < kStages; ++i)
            bulk_weights(p, stage(i), &full[i], n0, kt_begin + i);
          wait_for_prior_grid();
          for (int j = 0; j < i; ++j) tma_activations(p, stage(j), &full[j], m0, kt_begin + j);
        }
        for_each_slice<kStages, true>(i, slices, [&](auto slot, int j, int parity) {
          if (j >= kStages) bulk::wait(&empty[slot], parity ^ 1);  // the use before this one
          bulk_weights(p, stage(slot), &full[slot], n0, kt_begin + j);
          tma_activations(p, stage(slot), &full[slot], m0, kt_begin + j);
        });
      }
    } else {
      // The output and workspace, which the previous kernel may still use, are this warp's.
      if (p.programmatic_launch) wait_for_prior_grid();
      GroupSums sums;  // kScaleInAccum
      zero(acc);
      zero(sums);
      fence_accumulators(acc);
      // The slots as constants (for_each_slice): the 64x256 tile's loop had 197 instructions
      // per slice with a runtime slot, 162 so (1-3% faster, bench/NOTES.md, session 15).
      for_each_slice<kStages, true>(0, slices, [&](auto slot, int i, int parity) {
        bulk::wait(&full[slot], parity);
        compute_stage(stage(slot), acc, sums, [&] {
          if (i > 0 && lane == 0) bulk::arrive(&empty[(slot + kStages - 1) % kStages]);
        });
      });
      cute::warpgroup_wait<0>();
      fence_accumulators(acc);
    }
    // Every slice issued has been computed, so no copy is in flight: the stages and barriers
    // are free for the next range.
    __syncthreads();
    if (producer && lane == 0) {
#pragma unroll
      for (int s = 0; s < kStages; ++s) {
        bulk::invalidate(&full[s]);
        bulk::invalidate(&empty[s]);
      }
    }
  }

  // ---- epilogue -----------------------------------------------------------------------------------
  // D fragment of wgmma m64nBMk16 (PTX ISA): warp w holds D rows 16w..16w+15 (weight columns);
  // v[4i + 2h + e] is D row g + 8h, column 8i + 2t + e (activation row), g = lane/4, t = lane%4.
  __device__ static void store(const GemmParams& p, const Accum& acc, int m0, int n0) {
    if (!computes()) return;
    const int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
    const int g = lane >> 2, t = lane & 3;
    Scalar* C = static_cast<Scalar*>(p.c);
    const Scalar* S = static_cast<const Scalar*>(p.scales);
#pragma unroll
    for (int h = 0; h < 2; ++h) {
      const int col = n0 + warp * 16 + g + 8 * h;
      if (col >= p.n) continue;
      const float s = kPerChannel ? Act::to_float(S[col]) : 1.f;
#pragma unroll
      for (int i = 0; i < BM / 8; ++i) {
#pragma unroll
        for (int e = 0; e < 2; ++e) {
          const int row = m0 + 8 * i + 2 * t + e;
          if (row < p.m) {
            const float v = acc.v[4 * i + 2 * h + e] * s;
            C[int64_t(row) * p.ldc + col] = Act::to_pair(v, v).x;
          }
        }
      }
    }
  }

  // Cluster split-K (ClusterSplitKScheduler): a piece's sums laid out row-major in shared
  // memory, row r (activation row) at r * kSumsStride floats, column c (weight column) at c.
  // The 4 floats of padding make the stores free of bank conflicts (the 8 columns g and the
  // 4 row pairs t of a warp's store fall in 32 different banks) and keep rows 16-byte aligned
  // for the reader's float4 loads.
  static constexpr int kSumsStride = BN + 4;
  static_assert(BM * kSumsStride * 4 <= kStages * kStageBytes, "a piece's sums fit the stages");

  __device__ static void write_sums(float* sums, const Accum& acc) {
    if (!computes()) return;
    const int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
    const int g = lane >> 2, t = lane & 3;
#pragma unroll
    for (int i = 0; i < BM / 8; ++i)
#pragma unroll
      for (int h = 0; h < 2; ++h)
#pragma unroll
        for (int e = 0; e < 2; ++e)  // the D fragment's layout: see store()
          sums[(8 * i + 2 * t + e) * kSumsStride + warp * 16 + g + 8 * h] = acc.v[4 * i + 2 * h + e];
  }

  // Output row `row`, columns col .. col + 3 (col a multiple of 4, N of 16: all four or none
  // lie below N; ldc and C are 16-byte aligned, api.cu), one 8-byte store.
  __device__ static void store_quad(const GemmParams& p, int row, int col, float4 v) {
    if (row >= p.m || col >= p.n) return;
    if constexpr (kPerChannel) {
      const Scalar* S = static_cast<const Scalar*>(p.scales) + col;
      v.x *= Act::to_float(S[0]), v.y *= Act::to_float(S[1]);
      v.z *= Act::to_float(S[2]), v.w *= Act::to_float(S[3]);
    }
    const Pair lo = Act::to_pair(v.x, v.y), hi = Act::to_pair(v.z, v.w);
    uint2 out;
    out.x = reinterpret_cast<const uint32_t&>(lo), out.y = reinterpret_cast<const uint32_t&>(hi);
    *reinterpret_cast<uint2*>(static_cast<Scalar*>(p.c) + int64_t(row) * p.ldc + col) = out;
  }

  __device__ static void run(const GemmParams& p) {
#if defined(__CUDA_ARCH_FEAT_SM90_ALL)
    extern __shared__ __align__(128) char smem_raw[];
    // Dynamic shared memory is only guaranteed 16-byte aligned: round up to 1024.
    const uint32_t base = static_cast<uint32_t>(__cvta_generic_to_shared(smem_raw));
    char* smem = smem_raw + ((1024 - (base & 1023)) & 1023);
    if constexpr (kTmaActivations) {
      if (threadIdx.x == 0)
        bulk::prefetch_tensor_map(&static_cast<const TmaGemmParams&>(p).act_map);
    }
    if constexpr (kBulkWeights) {
      zero_scale_regions(smem);
      // The zeros are written through the generic proxy, the copy engine's scale rows to the
      // same bytes later through the async proxy: ordered by a proxy fence, then the barrier.
      asm volatile("fence.proxy.async.shared::cta;\n" ::: "memory");
      __syncthreads();
    }
    Scheduler::template run<Sm90Gemm>(p, smem);
#endif
  }
};

}  // namespace mixgemm
