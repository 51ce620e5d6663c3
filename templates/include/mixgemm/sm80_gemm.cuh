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
//
// kPipes_ > 1 (split-K only): the block runs that many pipelines side by side, each of kThreads
// threads with its own kSmemBytes of stages, over its own K range of the same output tile; the
// scheduler adds their sums in shared memory (schedulers.cuh, add_pipe_sums). That is split-K
// inside a block: at decode, where a tile's K must be split to keep enough bytes in flight,
// the pieces' sums then meet in shared memory instead of through a global workspace, a fence,
// a counter and a second read from L2 at the end of the kernel (about 2 us on H100, session 5's
// timeline). The pipes never wait for each other before that: each has its own barrier.
template <class Act_, class Unpacker_, int kGroup_, int BM, int BN, int BK, int kStages_,
          class Scheduler_, int kPipes_ = 1>
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
  static constexpr bool kTmaActivations = false;  // the launcher encodes no tensor map

  // Tiles of 8 rows swap the MMA operands: the unpacked weights of a packing unit's k16 step
  // (16 columns x 16 K) are exactly an mma.m16n8k16 A operand with the columns as its rows
  // (b[0], b[2], b[1], b[3] of the unpacker are a0..a3), and 8 activation rows are its B
  // operand, read by one ldmatrix.x4 per two k16 steps. At M <= 8 that halves the MMAs, the
  // ldmatrix, the activation copies and the accumulators of a 16-row tile, whose rows 8-15
  // would only multiply zeros. Each MMA gives a 16 (columns) x 8 (rows) block of C^T.
  // Narrow tiles (BM = 1, 2 or 4) keep only BM activation rows per stage: at M = 1 the other
  // 7 of 8 rows of an 8-row stage are zero fill, as many bytes as the 3-bit weights of a
  // 128-deep slice, so a narrow stage makes room for deeper slices or more warps per SM. The
  // MMA's rows BM..7 then repeat rows 0..BM-1 (a_fragment_offsets); their sums are never
  // stored.
  static constexpr bool kSwapAB = BM <= 8;
  // Rows of the accumulator tile: the MMA's 8 when kSwapAB.
  static constexpr int kAccumRows = kSwapAB ? 8 : BM;

  // Warp layout; mirrored by KernelConfig.warp_* in codegen/config.py.
  static constexpr int kWarpTileM = BM < 64 ? BM : 64;
  static constexpr int kWarpsM = BM / kWarpTileM;
  static constexpr int kWarpsNRaw = (BN / 32 < 8 / kWarpsM) ? BN / 32 : 8 / kWarpsM;
  static constexpr int kWarpsN = kWarpsNRaw > 1 ? kWarpsNRaw : 1;
  static constexpr int kWarpTileN = BN / kWarpsN;
  static constexpr int kThreads = 32 * kWarpsM * kWarpsN;
  static constexpr int kMmaTilesM = kSwapAB ? 1 : kWarpTileM / 16;  // m16 MMA tiles per warp
  static constexpr int kUnitsN = kWarpTileN / 16;  // n16 packing units per warp
  // MMAs per unit, m tile and k16 step: one per n8 half of the unit, or one (kSwapAB).
  static constexpr int kMmasPerUnit = kSwapAB ? 1 : 2;
  // Where scales are applied: per-channel in the epilogue; group scales either by the unpacker
  // to each weight pair (HMUL2), or to fp32 partial sums once per group (kStepsPerScale).
  // (kSwapAB: always; a unit's 4 accumulators per group beat its 4 HMUL2 per k16 step.)
  static constexpr bool kScaleInAccum = !kPerChannel && (kSwapAB || kMmaTilesM * 32 < kGroup);
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
  static constexpr int kSmemBytes = kStages * kStageBytes;  // one pipe's stages

  // The block: kPipes pipes, pipe p's stages at p * kSmemBytes. Mirrored by KernelConfig.pipes.
  static constexpr int kPipes = kPipes_;
  static constexpr int kBlockThreads = kThreads * kPipes;
  static constexpr int kBlockSmemBytes = kSmemBytes * kPipes;
  static_assert(kPipes == 1 || kPipes == 2 || kPipes == 4 || kPipes == 8 ||
                    (kPipes == 16 && kThreads == 32),
                "pipes per block (16: one warp each, as pipe_sync names barriers 1..kPipes)");
  // This thread's index within its pipe, and its pipe (stage_copy.cuh).
  __device__ __forceinline__ static unsigned thread() { return pipe_thread<kThreads, kPipes>(); }
  __device__ __forceinline__ static unsigned pipe() { return pipe_index<kThreads, kPipes>(); }
  // A barrier of this thread's pipe: the whole block when it is one pipe, its warp when a pipe
  // is one warp, otherwise named barrier 1 + pipe (0 is __syncthreads').
  __device__ __forceinline__ static void pipe_sync() {
    if constexpr (kPipes == 1) {
      __syncthreads();
    } else if constexpr (kThreads == 32) {
      __syncwarp();
    } else {
      asm volatile("bar.sync %0, %1;\n" ::"r"(1 + pipe()), "n"(kThreads) : "memory");
    }
  }

  // Register budget (ptxas hint, launch.cuh): decode tiles (warp tiles of 16-32 rows) are
  // latency-bound and want every warp that shared memory lets an SM hold, so they ask for that
  // many resident blocks, but never for fewer than 128 registers per thread (below that the
  // 3-bit mainloops spill). With a 1-block budget ptxas took 172 registers in the 16x128x256
  // mainloop: 2 blocks per H100 SM where shared memory holds 3. Tiles with 64-row warp tiles
  // (64+ accumulators per thread) keep the full budget (1).
  static constexpr int kMinRegsPerThread = 128;
  static constexpr int kBlocksByRegs =
      blocks_per_sm_by_registers(kBlockThreads, kMinRegsPerThread);
  static constexpr int kBlocksBySmem = blocks_per_sm_by_smem(kBlockSmemBytes);
  static constexpr int kMinBlocksPerSm =
      kMmaTilesM > 2 ? 1 : (kBlocksBySmem < kBlocksByRegs ? kBlocksBySmem : kBlocksByRegs);

  static_assert(BK % 64 == 0 && (BM % 16 == 0 || BM == 8 || BM == 4 || BM == 2 || BM == 1) &&
                    kWarpTileN % 16 == 0,
                "tile shape");
  static_assert(kPerChannel || kGroup % 16 == 0, "a k16 step must not straddle two groups");

  struct Accum {
    float v[kMmaTilesM][kUnitsN][kMmasPerUnit][4];
  };

  // The lowest activation row, counted from the tile's m0, among this thread's accumulators
  // (rows g and g + 8 of each m16 tile; kSwapAB: rows 2t and 2t + 1, see store()).
  __device__ __forceinline__ static int accum_first_row() {
    if constexpr (kSwapAB) return 2 * (thread() % 4);
    return (thread() / 32) / kWarpsN * kWarpTileM + (thread() % 32) / 4;
  }

  __device__ __forceinline__ static void zero(Accum& acc) {
#pragma unroll
    for (int mi = 0; mi < kMmaTilesM; ++mi)
#pragma unroll
      for (int u = 0; u < kUnitsN; ++u)
#pragma unroll
        for (int j = 0; j < kMmasPerUnit; ++j)
#pragma unroll
          for (int e = 0; e < 4; ++e) acc.v[mi][u][j][e] = 0.f;
  }

  // ---- global -> shared: pipeline stages ------------------------------------------------------
  // A stage is laid out as stage_copy.cuh says: [A][packed weights][group scales]. A: BM rows of
  // BK halves; 16-byte chunk kc of row r lands at chunk kc ^ (r % 8) so that the eight rows one
  // ldmatrix phase reads fall in eight different bank groups. Weights and scales as
  // load_stage_weights (stage_copy.cuh) lays them out.
  //
  // Unlike the sm90 family's cp.async path, the copy sources are set up once per tile and moved on
  // by one slice per stage (SliceSources): which chunks of a thread lie past M or N does not
  // change along K, and only the last slice can end past K. Recomputing every chunk's address,
  // bounds and clamped fallback source each slice cost about 110 integer instructions per
  // 128-deep slice of the decode tiles, a third of their K loop (bench/NOTES.md, session 4).
  // SliceSources holds one pointer per operand and two counts, and each thread's chunks lie at
  // fixed offsets from those pointers: a pointer per chunk (bench/results/steps/
  // v13-hoisted-copies-not-run) made ptxas spill in the Stream-K tiles (128-168 registers), and
  // so did per-chunk offsets (as the sm90 family computes them) kept beside SliceSources for the pipeline prologue,
  // which copies through SliceSources too.
  using Copy = StageCopy<kThreads, kPipes>;

  // A is copied in 128-byte segments (8 chunks) of a row: each group of 8 threads takes
  // kPassesA consecutive segments of the tile (rows in order), lane t % 8 chunk t % 8 of each.
  // A warp's copy then reads whole 128-byte lines and writes 8 bank groups per 8 threads, and
  // a thread's chunks lie in as few rows as can be (one, in the decode tiles): 128 bytes apart
  // within a row, one lda apart across rows.
  static constexpr int kPassesA = BM * (BK / 8) / kThreads;  // A chunks per thread
  static constexpr int kSegmentsPerRowA = BK / 64;
  static constexpr int kRowsPerThreadA =
      kPassesA > kSegmentsPerRowA ? kPassesA / kSegmentsPerRowA : 1;
  static constexpr int kSegmentsPerThreadRowA = kPassesA / kRowsPerThreadA;
  static_assert((BM * (BK / 8)) % kThreads == 0 &&
                    (kPassesA % kSegmentsPerRowA == 0 || kSegmentsPerRowA % kPassesA == 0),
                "a thread's A segments fill whole rows or lie in one row");
  // Weights: in each 64-deep row of units of a slice, thread tid copies chunks tid, tid +
  // kThreads, ... (kPassesW of them; load_stage_weights numbers the chunks across rows
  // instead).
  static constexpr int kChunksPerUnit = kUnitWords / 4;
  static constexpr int kChunksPerRowW = (BN / 16) * kChunksPerUnit;
  static constexpr int kPassesW = (kChunksPerRowW + kThreads - 1) / kThreads;

  struct SliceSources {
    // This thread's first A chunk in the next slice to copy.
    const Scalar* a;
    // Its weight chunk of the last pass in that slice's first row of units. The earlier passes
    // lie before it, at negative offsets that ptxas folds into the cp.async instruction (it
    // takes -2048..2047 bytes: one pass back at 128 threads, but not one pass on).
    const uint32_t* w;
    // Its group-scale chunk in that slice (kHoistedScales; a thread past the slice's scale
    // chunks holds the scales' base, unused).
    const Scalar* s;
    int a_rows;   // how many of its A rows lie below M: the first a_rows
    int w_valid;  // how many of its weight passes lie in units left of N: the first w_valid
  };
  // Group scales: a slice's kScaleRows rows of BN/8 chunks. Where groups are no deeper than a
  // slice and the chunks take one pass, each thread's chunk source is kept in SliceSources and
  // moved on kScaleRows rows per slice, so a whole slice copies its scales with no address or
  // bounds arithmetic (which cost about 10 integer instructions per slice of the 128-deep
  // decode tiles, bench/results/steps/v105-hoisted-scale-copies).
  static constexpr int kScaleChunks = kScaleRows * BN / 8;
  static constexpr bool kHoistedScales =
      !kPerChannel && kGroup <= BK && kScaleChunks <= kThreads;

  // This thread's first A chunk: its row in the tile, and its chunk in that row.
  __device__ __forceinline__ static int a_row0() {
    return thread() / 8 * kPassesA / kSegmentsPerRowA;
  }
  __device__ __forceinline__ static int a_chunk0() {
    return thread() / 8 * kPassesA % kSegmentsPerRowA * 8 + thread() % 8;
  }

  // The sources of slice kt. A chunk past M or N is zero-filled, as in the sm90 family's copies, from the
  // source of one that is not, so that every source is in bounds: the thread's last one in
  // range, or if none is, one of row m0 / unit n0 (m0 < M, n0 < N).
  __device__ __forceinline__ static SliceSources slice_sources(const GemmParams& p, int m0,
                                                              int n0, int kt) {
    int a_rows = p.m - m0 - a_row0();
    a_rows = a_rows < 0 ? 0 : (a_rows < kRowsPerThreadA ? a_rows : kRowsPerThreadA);
    const int units_left = (p.n - n0) / 16 < BN / 16 ? (p.n - n0) / 16 : BN / 16;
    const int chunks_left = units_left * kChunksPerUnit - int(thread());
    int w_valid = chunks_left > 0 ? (chunks_left + kThreads - 1) / kThreads : 0;
    w_valid = w_valid < kPassesW ? w_valid : kPassesW;
    const int col = w_valid > 0 ? thread() : thread() % kChunksPerUnit;

    const int64_t k0 = int64_t(kt) * BK;
    const Scalar* a = static_cast<const Scalar*>(p.a) +
                      (m0 + (a_rows > 0 ? a_row0() : 0)) * p.lda + k0 + a_chunk0() * 8;
    const uint32_t* w = p.w + ((k0 / 64) * (p.n / 16) + n0 / 16) * kUnitWords +
                        (col + (kPassesW - 1) * kThreads) * 4;
    const Scalar* s = static_cast<const Scalar*>(p.scales);
    if constexpr (kHoistedScales) {
      const int c = thread() < kScaleChunks ? int(thread()) : 0;
      s += (k0 / (kGroup > 0 ? kGroup : 1) + c / (BN / 8)) * p.n + n0 + c % (BN / 8) * 8;
    }
    return {a, w, s, a_rows, w_valid};
  }

  // The two halves of slice kt, from `src`, which then moves on by one slice. kWhole: the
  // slice lies in K and the tile in N, so only A rows past M need a check. Otherwise chunks
  // past K or N are zero-filled too: A from the slice's first column, the weights from the
  // last row of units in K and the last pass left of N.
  template <bool kWhole>
  __device__ __forceinline__ static void load_slice_activations(const GemmParams& p, char* stage,
                                                                SliceSources& src, int kt) {
    const int k_left = p.k - kt * BK;
    const Scalar* a = src.a;
#pragma unroll
    for (int h = 0; h < kRowsPerThreadA; ++h) {
      const int row = a_row0() + h;
      const bool in_m = h < src.a_rows;
      if (h > 0 && in_m) a += p.lda;  // past M: stay on the last row below M
#pragma unroll
      for (int q = 0; q < kSegmentsPerThreadRowA; ++q) {
        const int kc = a_chunk0() + q * 8;
        const bool in_k = kWhole || kc * 8 < k_left;
        const Scalar* from = in_k ? a + q * 64 : a - a_chunk0() * 8;
        // Chunk kc ^ (row % 8), written as segment + chunk in it: a fixed offset per q.
        Copy::copy16(stage + row * (BK * 2) + (kc & ~7) * 16 + ((kc ^ row) & 7) * 16, from,
                     in_m && in_k, from);
      }
    }
    src.a += BK;
  }

  template <bool kWhole>
  __device__ __forceinline__ static void load_slice_weights(const GemmParams& p, char* stage,
                                                            SliceSources& src, int n0, int kt) {
    const int k_left = p.k - kt * BK;
    const int64_t row_words = int64_t(p.n / 16) * kUnitWords;  // one 64-deep row of units
    const int last_valid = src.w_valid > 0 ? src.w_valid - 1 : 0;
    const uint32_t* w = src.w;
#pragma unroll
    for (int ku = 0; ku < BK / 64; ++ku) {
      const bool in_k = kWhole || ku * 64 < k_left;
      if (ku > 0 && in_k) w += row_words;  // past K: stay on the last row in K
#pragma unroll
      for (int i = 0; i < kPassesW; ++i) {
        const int rest = thread() + i * kThreads;
        const bool in_n = kWhole || i < src.w_valid;
        const uint32_t* from = w - (kPassesW - 1 - (in_n ? i : last_valid)) * kThreads * 4;
        if (kChunksPerRowW % kThreads == 0 || rest < kChunksPerRowW)
          Copy::copy16(stage + kSmemA + (ku * kChunksPerRowW + rest) * 16, from, in_k && in_n,
                       from);
      }
    }
    src.w += BK / 64 * row_words;
    if constexpr (kHoistedScales && kWhole) {
      if (kScaleChunks == kThreads || thread() < kScaleChunks)
        Copy::copy16(stage + kSmemA + kSmemB + thread() * 16, src.s, true, src.s);
    } else if constexpr (kScaleRows > 0) {
      Copy::template scales<Scalar, BN, kGroup, kScaleRows>(p, stage + kSmemA + kSmemB, n0,
                                                            kt * BK, k_left);
    }
    if constexpr (kHoistedScales) src.s += kScaleRows * p.n;
  }

  // The first kSlices slices of K tiles [kt_begin, kt_end), one commit group per slice, in the
  // order pipeline_prologue (stage_copy.cuh) gives and explains: under programmatic dependent
  // launch the weights of all of them before wait_for_prior_grid(), then the activations.
  template <int kSlices>
  __device__ __forceinline__ static void load_first_slices(const GemmParams& p, char* smem,
                                                           SliceSources& src, int n0,
                                                           int kt_begin, int kt_end) {
    pipeline_prologue<kSlices>(
        p, kt_begin, kt_end,
        [&](int st) {
          load_slice_weights<false>(p, smem + st * kStageBytes, src, n0, kt_begin + st);
        },
        [&](int st) {
          load_slice_activations<false>(p, smem + st * kStageBytes, src, kt_begin + st);
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
    if constexpr (kSwapAB) {
#pragma unroll
      for (int u = 0; u < kUnitsN; ++u) {
        // Accumulator rows are the unit's columns g and g + 8 (mma.m16n8k16 C layout).
        const int col = warp_n * kWarpTileN + u * 16 + (lane >> 2);
        const float s0 = Act::to_float(sS_row[col]), s1 = Act::to_float(sS_row[col + 8]);
        float(&d)[4] = acc.v[0][u][0];
        float(&g)[4] = partial.v[0][u][0];
        d[0] += g[0] * s0, d[1] += g[1] * s0, d[2] += g[2] * s1, d[3] += g[3] * s1;
        g[0] = g[1] = g[2] = g[3] = 0.f;
      }
    } else {
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
  }

  // ldmatrix addresses. Chunk c of A row r sits at chunk c ^ (r % 8) of its row
  // (load_slice_activations). A lane reads chunk C + q of its row, where C is a compile-time
  // multiple of kLaneChunks (4 when kSwapAB: chunks 2s..2s+3 of every second step s; otherwise
  // 2: chunks 2s, 2s+1) and q < kLaneChunks is the lane's own. Then (C + q) ^ r = (C & ~7) +
  // ((C % 8 + q) ^ r % 8): only C % 8 matters to the XOR, so a lane needs 8 / kLaneChunks
  // offsets, computed once per tile, and every ldmatrix address is one of them plus a constant.
  // (Computing (C + q) ^ r at each ldmatrix cost up to three integer instructions per ldmatrix,
  // bench/NOTES.md, session 16.)
  static constexpr int kLaneChunks = kSwapAB ? 4 : 2;
  struct AFragmentOffsets {
    int v[8 / kLaneChunks];  // v[j]: row offset plus chunk (j * kLaneChunks + q) ^ (row % 8)
  };
  __device__ __forceinline__ static AFragmentOffsets a_fragment_offsets(int warp_m, int lane) {
    // kSwapAB: lane l addresses row l % 8 of chunk C + l / 8 (row (l % 8) % BM of a narrow
    // tile's stage); otherwise lanes 0-15 address rows 0-15 of the warp's first m16 tile at
    // chunk C, lanes 16-31 at chunk C + 1.
    const int row = kSwapAB ? (lane & 7) % BM : warp_m * kWarpTileM + (lane & 15);
    const int q = kSwapAB ? lane >> 3 : lane >> 4;
    AFragmentOffsets o;
#pragma unroll
    for (int j = 0; j < 8 / kLaneChunks; ++j)
      o.v[j] = row * (BK * 2) + (((j * kLaneChunks + q) ^ (row & 7)) << 4);
    return o;
  }
  // The address of chunk C + q (see above) of this lane's row, `row_offset` bytes further.
  template <int C>
  __device__ __forceinline__ static const char* a_fragment_address(const char* sA,
                                                                   const AFragmentOffsets& o,
                                                                   int row_offset = 0) {
    static_assert(C % kLaneChunks == 0, "a chunk base the lanes' chunks do not straddle");
    return sA + o.v[(C % 8) / kLaneChunks] + (C & ~7) * 16 + row_offset;
  }

  __device__ static void compute_stage(const char* stage, Accum& acc, Accum& partial,
                                       const AFragmentOffsets& a_offsets, int warp_n, int lane) {
    const char* sA = stage;
    const uint32_t* sB = reinterpret_cast<const uint32_t*>(stage + kSmemA);
    const Scalar* sS = reinterpret_cast<const Scalar*>(stage + kSmemA + kSmemB);
    uint32_t words[kUnitsN][kBits];
    Pair scale[kUnitsN][2];
    // MMAs accumulate into `partial` when group scales are applied to fp32 sums.
    Accum& target = kScaleInAccum ? partial : acc;
    uint32_t rows8[4];  // kSwapAB: the B operand of two k16 steps, see below

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

      // kSwapAB, every second step: ldmatrix.x4 of k-chunks 2s..2s+3 of rows 0-7 (lane l
      // addresses row l % 8 of chunk 2s + l / 8), b0, b1 of the mma.m16n8k16 B operand for
      // steps s and s + 1: lane 4g + t gets row g, k 2t..2t+1 of each chunk.
      if constexpr (kSwapAB && s % 2 == 0) {
        const char* addr = a_fragment_address<s * 2>(sA, a_offsets);
        cute::SM75_U32x4_LDSM_N::copy(*reinterpret_cast<const cute::uint128_t*>(addr), rows8[0],
                                      rows8[1], rows8[2], rows8[3]);
      }
      // Otherwise ldmatrix.x4: lanes 0-15 address rows 0-15 of k-chunk 2s, lanes 16-31 of
      // chunk 2s+1, giving a0..a3 in the mma.m16n8k16 A order (unused when kSwapAB).
      [[maybe_unused]] uint32_t a[kMmaTilesM][4];
      if constexpr (!kSwapAB) {
#pragma unroll
        for (int mi = 0; mi < kMmaTilesM; ++mi) {
          // Tile mi's rows lie 16 * mi rows down: the same row % 8, so the same XOR.
          const char* addr = a_fragment_address<s * 2>(sA, a_offsets, mi * 16 * (BK * 2));
          cute::SM75_U32x4_LDSM_N::copy(*reinterpret_cast<const cute::uint128_t*>(addr),
                                        a[mi][0], a[mi][1], a[mi][2], a[mi][3]);
        }
      }

#pragma unroll
      for (int u = 0; u < kUnitsN; ++u) {
        uint32_t b[4];
        Unpacker::template unpack<s % 4>(words[u], scale[u], b);
        if constexpr (kSwapAB) {
          float(&d)[4] = target.v[0][u][0];
          Act::Mma::fma(d[0], d[1], d[2], d[3], b[0], b[2], b[1], b[3], rows8[2 * (s % 2)],
                        rows8[2 * (s % 2) + 1], d[0], d[1], d[2], d[3]);
        } else {
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
      }

      if constexpr (kScaleInAccum && (s + 1) % kStepsPerScale == 0)
        apply_group_scale(sS + scale_row * BN, partial, acc, warp_n, lane);
    });
  }

  // The multi-stage pipeline over K tiles [kt_begin, kt_end) of one output tile, in this
  // thread's pipe's stages (`smem`).
  __device__ static void mainloop(const GemmParams& p, char* smem, int m0, int n0, int kt_begin,
                                  int kt_end, Accum& acc) {
    const int lane = thread() % 32, warp = thread() / 32;
    const int warp_m = warp / kWarpsN, warp_n = warp % kWarpsN;
    Accum partial;  // per-group fp32 sums (kScaleInAccum); otherwise unused and optimised away
    const AFragmentOffsets a_offsets = a_fragment_offsets(warp_m, lane);
    zero(acc);
    zero(partial);

    // Prologue: kStages-1 slices in flight, one commit group per slice. With the one group per
    // iteration below (maybe empty), cp.async.wait_group(kStages-2) always means "slice i has
    // landed". `src` follows the slices copied, in order.
    SliceSources src = slice_sources(p, m0, n0, kt_begin);
    const bool whole_n = n0 + BN <= p.n;
    load_first_slices<kStages - 1>(p, smem, src, n0, kt_begin, kt_end);
    for_each_slice<kStages, true>(0, kt_end - kt_begin, [&](auto slot, int i, int) {
      const int kt = kt_begin + i;
      cute::cp_async_wait<kStages - 2>();
      // Also guarantees every warp is done with the slot before this one, refilled just below.
      pipe_sync();
      const int next = kt + kStages - 1;
      if (next < kt_end) {
        char* stage = smem + ((slot + kStages - 1) % kStages) * kStageBytes;
        if (whole_n && (next + 1) * BK <= p.k) {
          load_slice_activations<true>(p, stage, src, next);
          load_slice_weights<true>(p, stage, src, n0, next);
        } else {  // the last slice of K (maybe partial), or a tile that N cuts
          load_slice_activations<false>(p, stage, src, next);
          load_slice_weights<false>(p, stage, src, n0, next);
        }
      }
      cute::cp_async_fence();
      compute_stage(smem + slot * kStageBytes, acc, partial, a_offsets, warp_n, lane);
    });
    cute::cp_async_wait<0>();
    pipe_sync();  // the pipe's stages are free for its next tile (persistent schedulers)
  }

  // ---- epilogue ---------------------------------------------------------------------------------
  // Accumulator layout of mma.m16n8k16 (PTX ISA): d0,d1 at (row g, cols 2t,2t+1), d2,d3 at
  // (row g+8, same cols), g = lane/4, t = lane%4.
  __device__ static void store(const GemmParams& p, const Accum& acc, int m0, int n0) {
    const int lane = thread() % 32, warp = thread() / 32;
    const int warp_m = warp / kWarpsN, warp_n = warp % kWarpsN;
    const int g = lane >> 2, t = lane & 3;
    Scalar* C = static_cast<Scalar*>(p.c);
    const Scalar* S = static_cast<const Scalar*>(p.scales);
    if constexpr (kSwapAB) {
      // C^T blocks: d0, d1 at (column g, rows 2t, 2t+1), d2, d3 at (column g + 8, same rows).
#pragma unroll
      for (int u = 0; u < kUnitsN; ++u) {
        const int col = n0 + warp_n * kWarpTileN + u * 16 + g;
        if (col >= p.n) continue;  // N % 16 == 0: a whole unit is in or out
        float s0 = 1.f, s1 = 1.f;
        if constexpr (kPerChannel) s0 = Act::to_float(S[col]), s1 = Act::to_float(S[col + 8]);
        const float* d = acc.v[0][u][0];
#pragma unroll
        for (int h = 0; h < 2; ++h) {
          const int row = m0 + 2 * t + h;
          // Rows BM..7 of a narrow tile are repeats (kSwapAB) and belong to the next tile.
          if (row < p.m && 2 * t + h < BM) {
            C[int64_t(row) * p.ldc + col] = Act::from_float(d[h] * s0);
            C[int64_t(row) * p.ldc + col + 8] = Act::from_float(d[2 + h] * s1);
          }
        }
      }
    } else {
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
  }

  __device__ static void run(const GemmParams& p) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 800
    extern __shared__ __align__(128) char smem[];
    Scheduler::template run<Sm80Gemm>(p, smem);
#endif
  }
};

}  // namespace mixgemm
