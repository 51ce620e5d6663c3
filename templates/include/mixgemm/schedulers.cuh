// Tile schedulers: which output tiles, and which K range of each, a thread block computes.
//
// A scheduler provides, for a Gemm (sm80_gemm.cuh, sm90_gemm.cuh):
//   kClustered                                whether it launches thread block clusters
//   grid_blocks<Gemm>(m, n, k, sizing)        host: blocks to launch (sizing: how many blocks
//                                             of this kernel the GPU holds at once, or with
//                                             kClustered how many clusters of each size)
//   launch<Gemm>(m, n, k, clusters)           host, kClustered only: blocks to launch and
//                                             blocks per cluster, from one evaluation
//   workspace_bytes<Gemm>(m, n, k, sizing)    host: device workspace it needs
//   run<Gemm>(params, smem)                   device: drives Gemm::mainloop and the epilogue
// A block of several pipes (Gemm::kPipes > 1, sm80_gemm.cuh) is split-K's alone.
#pragma once

#include <cstdint>

#include <cuda/atomic>
#include <cuda_runtime.h>

#include "mixgemm/stage_copy.cuh"

// Timeline hook: bench/timeline/timeline.cu defines it to record, per thread block, when the
// block reaches each point of its schedule (which kernel launch: by the params' output
// pointer). Compiled to nothing in the library.
#ifndef MIXGEMM_TIMELINE
#define MIXGEMM_TIMELINE(params, event) ((void)0)
#endif

namespace mixgemm {

// Points of a block's schedule that the timeline hook records.
enum TimelineEvent {
  kTimelineStart = 0,      // the scheduler starts (the kernel's first instructions)
  kTimelineMainloop = 1,   // the first K range's mainloop is done (all its MMAs issued)
  kTimelineHandedOff = 2,  // partial sums written and counted (split tiles only)
  kTimelineEnd = 3,        // the block is done (stored its last tile, or handed off and left)
  kTimelineEvents = 4
};

// Output tiles are numbered with M fastest, so that blocks working at the same time on the
// tiles of one N column read the same weights (L2 reuse when M spans several tiles).
template <class Gemm>
struct TileGrid {
  int m_tiles, n_tiles, k_tiles;
  __host__ __device__ TileGrid(int m, int n, int k)
      : m_tiles((m + Gemm::kTileM - 1) / Gemm::kTileM),
        n_tiles((n + Gemm::kTileN - 1) / Gemm::kTileN),
        k_tiles((k + Gemm::kTileK - 1) / Gemm::kTileK) {}
  __host__ __device__ int64_t tiles() const { return int64_t(m_tiles) * n_tiles; }
  __device__ int m0(int64_t tile) const { return int(tile % m_tiles) * Gemm::kTileM; }
  __device__ int n0(int64_t tile) const { return int(tile / m_tiles) * Gemm::kTileN; }
};

// One block per output tile over the whole of K: no workspace, no traffic between blocks.
// Best when there are many more tiles than SMs.
struct DataParallelScheduler {
  static constexpr bool kClustered = false;  // grid sized by blocks (capacity)
  template <class Gemm>
  static int64_t grid_blocks(int m, int n, int k, int /*capacity*/) {
    return TileGrid<Gemm>(m, n, k).tiles();
  }

  template <class Gemm>
  static size_t workspace_bytes(int, int, int, int) {
    return 0;
  }

  template <class Gemm, class Params>
  __device__ static void run(const Params& p, char* smem) {
    static_assert(Gemm::kPipes == 1, "pipes split tiles along K: split-K's");
    const TileGrid<Gemm> grid(p.m, p.n, p.k);
    const int64_t tile = blockIdx.x;
    typename Gemm::Accum acc;
    MIXGEMM_TIMELINE(p, kTimelineStart);
    Gemm::mainloop(p, smem, grid.m0(tile), grid.n0(tile), 0, grid.k_tiles, acc);
    MIXGEMM_TIMELINE(p, kTimelineMainloop);
    Gemm::store(p, acc, grid.m0(tile), grid.n0(tile));
    MIXGEMM_TIMELINE(p, kTimelineEnd);
  }
};

// Workspace of the schedulers that split tiles along K (Stream-K, split-K): kMaxFlags int
// flags at offset 0, then one slot of BM x BN fp32 partial sums per thread block. The flags
// must be zero before the first use and every launch leaves them zero again. Their place and
// size are the same for every kernel, so one workspace serves all kernels on a stream (a
// kernel's partial sums never land where another kernel expects zero flags).
//
// Ordering (split-K): the threads of a block write their partial sums, meet at a barrier, and
// then one thread publishes them with a release (its count), so no thread waits on a fence of
// its own (fences are cumulative: the release covers what the barrier ordered before it); the
// last piece's count also acquires the others', and after a barrier the whole block reads the
// sums from L2. (Per-thread fences cost 0.32 stall cycles per issued instruction on 70B o_proj
// at M = 1, 0.05 this way; Stream-K keeps them, see its writer.)
struct FixupWorkspace {
  // Bound on flags (Stream-K: one per block; split-K: one per split tile). Grids of split
  // tiles are no larger than the GPU holds at once: 132 SMs x at most 32 blocks on an H100.
  static constexpr int kMaxFlags = 16384;
  static constexpr size_t kFlagBytes = kMaxFlags * sizeof(int);

  template <class Gemm>
  __host__ __device__ static constexpr size_t slot_floats() {
    return size_t(Gemm::kAccumRows) * Gemm::kTileN;
  }
  template <class Gemm>
  static size_t bytes(int64_t slots) {
    return kFlagBytes + size_t(slots) * slot_floats<Gemm>() * sizeof(float);
  }
  __device__ static int* flags(void* workspace) { return static_cast<int*>(workspace); }
  using Flag = cuda::atomic_ref<int, cuda::thread_scope_device>;
  template <class Gemm>
  __device__ static float* slot(void* workspace, int64_t i) {
    return reinterpret_cast<float*>(static_cast<char*>(workspace) + kFlagBytes) +
           i * slot_floats<Gemm>();
  }
};

// A pipe's fp32 accumulators (Gemm::Accum: a plain array of floats in registers) in a
// workspace slot (or shared memory, between the pipes of a block), as float4s: float4 f of
// thread t of the pipe at f * kThreads + t, so that a pipe's stores and loads are coalesced
// (and free of bank conflicts).
template <class Gemm>
struct PartialSums {
  static constexpr int kVecs = int(sizeof(typename Gemm::Accum) / sizeof(float4));
  static_assert(sizeof(typename Gemm::Accum) % sizeof(float4) == 0, "whole float4s");
  static_assert(size_t(kVecs) * 4 * Gemm::kThreads == FixupWorkspace::slot_floats<Gemm>(),
                "a slot holds the block's accumulators");
  // Slots whose loads each thread keeps in flight together (about 64 registers' worth): the
  // sums come from L2, written by other SMs, and reading slot after slot would cost one L2
  // round trip each (~0.5 us) at the end of the kernel.
  static constexpr int kBatch = kVecs >= 16 ? 1 : 16 / kVecs;

  // Whether this thread's accumulators hold any row below M (m_left = M - the tile's m0). A
  // thread that holds none has nothing that is ever stored, and need not move its partial sums:
  // at decode (M = 1 in a 16-row tile) that is 7 threads in 8. Decided once per thread, not per
  // float4: per-float4 predicates made ptxas spill in the tight 3-bit decode tiles. Rows past
  // kTileM (a narrow sm80 tile's repeated rows) are never stored either; other tiles hold no
  // such rows, and keep their code as it was.
  __device__ static bool thread_live(int m_left) {
    if constexpr (Gemm::kTileM < Gemm::kAccumRows)
      m_left = m_left < Gemm::kTileM ? m_left : Gemm::kTileM;
    return Gemm::accum_first_row() < m_left;
  }

  // Whether this thread holds accumulators at all: every thread of the block but a producer
  // warp that only copies (sm90_gemm.cuh, kProducerWarp).
  __device__ static bool holds_sums() {
    return Gemm::kBlockThreads == Gemm::kThreads * Gemm::kPipes ||
           threadIdx.x < Gemm::kThreads * Gemm::kPipes;
  }

  // `live`: thread_live(), or true where the caller cannot afford the predicate's registers.
  __device__ static void write(float* slot, const typename Gemm::Accum& acc, bool live) {
    const float* a = reinterpret_cast<const float*>(&acc);
    float4* dst = reinterpret_cast<float4*>(slot) + pipe_thread<Gemm::kThreads, Gemm::kPipes>();
    if (!live || !holds_sums()) return;
#pragma unroll
    for (int f = 0; f < kVecs; ++f)
      dst[f * Gemm::kThreads] = make_float4(a[4 * f], a[4 * f + 1], a[4 * f + 2], a[4 * f + 3]);
  }

  // acc += slots first, first + 1, ..., first + count - 1 (consecutive slots), added in that
  // order whatever the batching: the result does not depend on timing.
  template <int kSlotsInFlight = kBatch>
  __device__ static void add(const float* first, int count, bool live,
                             typename Gemm::Accum& acc) {
    float* a = reinterpret_cast<float*>(&acc);
    const float4* src =
        reinterpret_cast<const float4*>(first) + pipe_thread<Gemm::kThreads, Gemm::kPipes>();
    constexpr size_t kSlotVecs = FixupWorkspace::slot_floats<Gemm>() / 4;
    if (!live || !holds_sums()) return;
    for (int i = 0; i < count; i += kSlotsInFlight) {
      float4 v[kSlotsInFlight][kVecs];
#pragma unroll
      for (int b = 0; b < kSlotsInFlight; ++b)
        if (i + b < count)
#pragma unroll
          for (int f = 0; f < kVecs; ++f)  // .cg: bypass this SM's L1 (written elsewhere)
            v[b][f] = __ldcg(src + (i + b) * kSlotVecs + f * Gemm::kThreads);
#pragma unroll
      for (int b = 0; b < kSlotsInFlight; ++b)
        if (i + b < count)
#pragma unroll
          for (int f = 0; f < kVecs; ++f) {
            a[4 * f] += v[b][f].x, a[4 * f + 1] += v[b][f].y;
            a[4 * f + 2] += v[b][f].z, a[4 * f + 3] += v[b][f].w;
          }
    }
  }

  // acc += kCount consecutive slots in shared memory, in order (the slot layout of add(), whose
  // __ldcg loads are for global memory only).
  template <int kCount>
  __device__ static void add_shared(const float* first, bool live, typename Gemm::Accum& acc) {
    float* a = reinterpret_cast<float*>(&acc);
    const float4* src =
        reinterpret_cast<const float4*>(first) + pipe_thread<Gemm::kThreads, Gemm::kPipes>();
    constexpr int kSlotVecs = int(FixupWorkspace::slot_floats<Gemm>() / 4);
    if (!live || !holds_sums()) return;
#pragma unroll
    for (int i = 0; i < kCount; ++i)
#pragma unroll
      for (int f = 0; f < kVecs; ++f) {
        const float4 v = src[i * kSlotVecs + f * Gemm::kThreads];
        a[4 * f] += v.x, a[4 * f + 1] += v.y, a[4 * f + 2] += v.z, a[4 * f + 3] += v.w;
      }
  }
};

// The pipes of a block (Gemm::kPipes > 1) worked on pieces of one tile: pipes 1, 2, ... hand
// their sums to pipe 0 through shared memory (the stages are done with by then), and pipe 0
// adds them in pipe order, so the result does not depend on timing. Afterwards pipe 0 holds the
// block's sums; `live`: PartialSums::thread_live.
template <class Gemm>
__device__ __forceinline__ void add_pipe_sums(char* smem, bool live, typename Gemm::Accum& acc) {
  constexpr size_t kSlotFloats = FixupWorkspace::slot_floats<Gemm>();
  static_assert((Gemm::kPipes - 1) * kSlotFloats * sizeof(float) <= Gemm::kBlockSmemBytes,
                "the pipes' sums fit in the block's stages");
  float* slots = reinterpret_cast<float*>(smem);
  const unsigned pipe = pipe_index<Gemm::kThreads, Gemm::kPipes>();
  __syncthreads();  // every pipe is done with its stages (pipe 0's are overwritten)
  if (pipe > 0) PartialSums<Gemm>::write(slots + (pipe - 1) * kSlotFloats, acc, live);
  __syncthreads();
  if (pipe == 0) PartialSums<Gemm>::template add_shared<Gemm::kPipes - 1>(slots, live, acc);
}

// Least K depth of a piece of a split tile: below it a block's pipeline barely fills and tiles
// split into many pieces. Counted in K rather than iterations so that deep-K tiles do not
// leave SMs idle.
constexpr int kMinKPerPiece = 512;
template <class Gemm>
constexpr int min_iters_per_piece() {
  return kMinKPerPiece / Gemm::kTileK > 1 ? kMinKPerPiece / Gemm::kTileK : 1;
}

// Stream-K: the tiles x k_tiles iterations of the whole problem are cut into `blocks` equal
// contiguous ranges, one per block of a grid no larger than the GPU holds at once, so every SM
// streams the same number of weight bytes whatever the tile count.
//
// A tile whose iterations span several blocks is finished by the block that owns its first
// iteration (k = 0). That piece is the last of its block's range, while every other piece of
// the tile is the first piece of a later block's range: by the time the finisher gets there the
// others are (nearly) done. Each non-first piece is written as fp32 partial sums to its block's
// workspace slot and flagged; the finisher adds the slots in block order, so the result does
// not depend on timing (deterministic: same inputs and GPU, same bits).
struct StreamKScheduler {
  static constexpr bool kClustered = false;  // grid sized by blocks (capacity)
  template <class Gemm>
  static int64_t grid_blocks(int m, int n, int k, int capacity) {
    const TileGrid<Gemm> g(m, n, k);
    const int64_t work = g.tiles() * g.k_tiles;
    constexpr int kMinIters = min_iters_per_piece<Gemm>();
    int64_t blocks = (work + kMinIters - 1) / kMinIters;
    if (blocks > capacity) blocks = capacity;
    if (blocks > FixupWorkspace::kMaxFlags) blocks = FixupWorkspace::kMaxFlags;
    return blocks > 0 ? blocks : 1;
  }

  template <class Gemm>
  static size_t workspace_bytes(int m, int n, int k, int capacity) {
    return FixupWorkspace::bytes<Gemm>(grid_blocks<Gemm>(m, n, k, capacity));
  }

  template <class Gemm, class Params>
  __device__ static void run(const Params& p, char* smem) {
    static_assert(Gemm::kPipes == 1, "pipes: split-K only");
    const TileGrid<Gemm> grid(p.m, p.n, p.k);
    const int64_t blocks = gridDim.x, block = blockIdx.x;
    const int64_t iters = grid.k_tiles, work = grid.tiles() * iters;
    int* flags = FixupWorkspace::flags(p.workspace);

    // Block b owns iterations [b * work / blocks, (b + 1) * work / blocks).
    const int64_t begin = block * work / blocks, end = (block + 1) * work / blocks;
    // The block that owns iteration x: the largest b with b * work / blocks <= x.
    auto owner = [&](int64_t x) { return ((x + 1) * blocks - 1) / work; };

    MIXGEMM_TIMELINE(p, kTimelineStart);
    for (int64_t it = begin; it < end;) {
      const int64_t tile = it / iters;
      const int kb = int(it % iters);
      const int ke = int(min(iters, kb + (end - it)));
      const int m0 = grid.m0(tile), n0 = grid.n0(tile);
      typename Gemm::Accum acc;
      Gemm::mainloop(p, smem, m0, n0, kb, ke, acc);
      if (it == begin) MIXGEMM_TIMELINE(p, kTimelineMainloop);

      if (kb != 0) {
        // Not the tile's first piece: hand the partial sums to its finisher. Every thread moves
        // its sums, live rows or not: inside this persistent loop the thread_live predicate made
        // ptxas spill (16x128x256, 3 stages, group 64).
        PartialSums<Gemm>::write(FixupWorkspace::slot<Gemm>(p.workspace, block), acc, true);
        // Here every thread fences (unlike split-K's one release after the barrier): at the
        // 168-register budget of the 3-block tiles, that form made ptxas spill in this loop.
        __threadfence();  // partials visible GPU-wide before the flag
        __syncthreads();
        if (threadIdx.x == 0) atomicExch(&flags[block], 1);
        MIXGEMM_TIMELINE(p, kTimelineHandedOff);
      } else {
        if (ke != iters) {
          // First piece of a split tile: blocks block+1 .. last hold the other pieces. Wait for
          // all their flags at once (one thread per flag), then add the slots in block order;
          // waiting and reading piece by piece would chain one L2 round trip per piece.
          const int pieces = int(owner(tile * iters + iters - 1) - block);
          for (int i = threadIdx.x; i < pieces; i += Gemm::kBlockThreads) {
            int* flag = &flags[block + 1 + i];
            while (atomicAdd(flag, 0) == 0) __nanosleep(20);
            *flag = 0;  // consumed: the workspace is left zeroed
          }
          __threadfence();
          __syncthreads();
          // One slot at a time: inside this persistent loop more registers would spill.
          PartialSums<Gemm>::template add<1>(FixupWorkspace::slot<Gemm>(p.workspace, block + 1),
                                             pieces, true, acc);
        }
        Gemm::store(p, acc, m0, n0);
      }
      it += ke - kb;
    }
    MIXGEMM_TIMELINE(p, kTimelineEnd);
  }
};

// Split-K: every output tile is cut into the same number of K pieces. A piece is one pipe of a
// block: blocks of one pipe (most kernels) take one piece each, blocks of several pipes
// (Gemm::kPipes) take that many adjacent pieces of one tile and add them in shared memory
// first. The split is chosen at launch from the problem and the GPU: as many blocks per tile
// as fill the GPU with one wave of blocks (pieces at least kMinKPerPiece deep), and one
// (data-parallel, or only in-block pieces) when the tiles alone fill it. Unlike Stream-K no
// block crosses a tile boundary, so no pipeline restarts mid-block, and no block waits for
// another: each block writes its fp32 partial sums to its slot and counts itself in on the
// tile's flag; the block that arrives last adds all slots in block order (deterministic: the
// order does not depend on who was last) and stores the tile. The price against Stream-K is
// balance: tiles x splits rarely equals the GPU's capacity exactly.
struct SplitKScheduler {
  static constexpr bool kClustered = false;  // grid sized by blocks (capacity)
  // Blocks per tile.
  template <class Gemm>
  static int splits(int m, int n, int k, int capacity) {
    const TileGrid<Gemm> g(m, n, k);
    const int64_t by_capacity = capacity / g.tiles();
    const int64_t by_depth = g.k_tiles / (min_iters_per_piece<Gemm>() * Gemm::kPipes);
    int64_t s = by_capacity < by_depth ? by_capacity : by_depth;
    // Split tiles need one flag each (and then number at most capacity / 2).
    if (s > 1 && g.tiles() > FixupWorkspace::kMaxFlags) s = 1;
    return s > 1 ? int(s) : 1;
  }

  template <class Gemm>
  static int64_t grid_blocks(int m, int n, int k, int capacity) {
    return TileGrid<Gemm>(m, n, k).tiles() * splits<Gemm>(m, n, k, capacity);
  }

  template <class Gemm>
  static size_t workspace_bytes(int m, int n, int k, int capacity) {
    if (splits<Gemm>(m, n, k, capacity) == 1) return 0;
    return FixupWorkspace::bytes<Gemm>(grid_blocks<Gemm>(m, n, k, capacity));
  }

  // This thread's piece: its tile, its block's index among the tile's blocks, and its pipe's K
  // tiles [kb, ke) (empty when K has fewer tiles than the tile has pieces).
  struct Piece {
    int splits;  // blocks per tile
    int64_t tile;
    int index, kb, ke;
  };
  template <class Gemm>
  __device__ static Piece piece_of_block(const TileGrid<Gemm>& grid) {
    // The host sized the grid as tiles x splits; the blocks of a tile are adjacent, and so are
    // the pieces of a block.
    const int splits = int(gridDim.x / grid.tiles());
    const int index = int(blockIdx.x % splits);
    const int pieces = splits * Gemm::kPipes;
    const int piece = index * Gemm::kPipes + int(pipe_index<Gemm::kThreads, Gemm::kPipes>());
    return {splits, int64_t(blockIdx.x / splits), index,
            int(int64_t(piece) * grid.k_tiles / pieces),
            int(int64_t(piece + 1) * grid.k_tiles / pieces)};
  }

  template <class Gemm, class Params>
  __device__ static void run(const Params& p, char* smem) {
    const TileGrid<Gemm> grid(p.m, p.n, p.k);
    const Piece me = piece_of_block(grid);
    const int splits = me.splits, index = me.index;
    const int64_t tile = me.tile;
    const int m0 = grid.m0(tile), n0 = grid.n0(tile);
    const unsigned pipe = pipe_index<Gemm::kThreads, Gemm::kPipes>();
    typename Gemm::Accum acc;
    MIXGEMM_TIMELINE(p, kTimelineStart);
    Gemm::mainloop(p, smem + pipe * Gemm::kSmemBytes, m0, n0, me.kb, me.ke, acc);
    MIXGEMM_TIMELINE(p, kTimelineMainloop);
    bool live = PartialSums<Gemm>::thread_live(p.m - m0);
    if constexpr (Gemm::kPipes > 1) {
      add_pipe_sums<Gemm>(smem, live, acc);
      live = live && pipe == 0;  // only pipe 0 holds the block's sums now
    }
    if (splits == 1) {
      if (pipe == 0) Gemm::store(p, acc, m0, n0);
      MIXGEMM_TIMELINE(p, kTimelineEnd);
      return;
    }

    const int64_t first_slot = tile * splits;
    PartialSums<Gemm>::write(FixupWorkspace::slot<Gemm>(p.workspace, first_slot + index), acc,
                             live);
    __syncthreads();
    bool arrived_last = false;
    if (threadIdx.x == 0) {
      // Release this block's sums; if it is the last count, acquire the other blocks'.
      FixupWorkspace::Flag count(FixupWorkspace::flags(p.workspace)[tile]);
      arrived_last = count.fetch_add(1, cuda::memory_order_acq_rel) == splits - 1;
      // Every block has counted: leave the workspace zeroed.
      if (arrived_last) count.store(0, cuda::memory_order_relaxed);
    }
    // Thread 0's answer to the whole block (a barrier, without a shared-memory variable).
    const bool last = __syncthreads_or(arrived_last);
    MIXGEMM_TIMELINE(p, kTimelineHandedOff);
    if (!last) {
      MIXGEMM_TIMELINE(p, kTimelineEnd);
      return;
    }
    Gemm::zero(acc);
    PartialSums<Gemm>::add(FixupWorkspace::slot<Gemm>(p.workspace, first_slot), splits, live, acc);
    if (pipe == 0) Gemm::store(p, acc, m0, n0);
    MIXGEMM_TIMELINE(p, kTimelineEnd);
  }
};

// Thread block clusters (sm_90+, PTX ISA "barrier.cluster", "mapa"): the blocks of a cluster
// run at the same time on one GPC and read each other's shared memory.
namespace cluster {

__device__ __forceinline__ int rank() {  // this block's index in its cluster
  int r;
  asm volatile("mov.u32 %0, %%cluster_ctarank;" : "=r"(r));
  return r;
}
__device__ __forceinline__ int size() {  // blocks per cluster (1: launched without one)
  int n;
  asm volatile("mov.u32 %0, %%cluster_nctarank;" : "=r"(n));
  return n;
}
__device__ __forceinline__ int64_t index() {  // the cluster's index in a 1-D grid of clusters
  int c;
  asm volatile("mov.u32 %0, %%clusterid.x;" : "=r"(c));
  return c;
}
// Every thread of every block of the cluster arrives and waits: shared-memory writes before it
// (release) are seen by reads after it (acquire) in any block of the cluster.
__device__ __forceinline__ void sync() {
  asm volatile("barrier.cluster.arrive.release;\n"
               "barrier.cluster.wait.acquire;" ::: "memory");
}
// The same meeting without ordering this thread's earlier memory accesses: its arrival need
// not wait for its stores to be performed. For "no block has anything left to read": a
// thread's loads are complete before it arrives once their values have been used.
__device__ __forceinline__ void sync_relaxed() {
  asm volatile("barrier.cluster.arrive.relaxed;\n"
               "barrier.cluster.wait;" ::: "memory");
}
// The 16 bytes at `local` (this block's shared memory) in block `block` of the cluster.
__device__ __forceinline__ float4 load_peer(const float* local, int block) {
  uint32_t remote;
  asm volatile("mapa.shared::cluster.u32 %0, %1, %2;"
               : "=r"(remote)
               : "r"(static_cast<uint32_t>(__cvta_generic_to_shared(local))), "r"(block));
  float4 v;
  asm volatile("ld.shared::cluster.v4.f32 {%0, %1, %2, %3}, [%4];"
               : "=f"(v.x), "=f"(v.y), "=f"(v.z), "=f"(v.w)
               : "r"(remote)
               : "memory");
  return v;
}

}  // namespace cluster

// Cluster split-K (sm90 family): every output tile is cut into the same number S of K pieces
// (2..8), computed by the S blocks of one thread block cluster, which add their fp32 partial
// sums through distributed shared memory: each block lays its sums out in its own shared memory
// (row-major, Gemm::write_sums), the cluster meets at a barrier, and block r adds and stores
// the r-th share of the tile's rows, reading the S blocks' sums in block order (deterministic).
// No workspace, no flags and no trip through L2: Stream-K's fix-up took a third to half of the
// small layers' time at M = 64-128 (bench/NOTES.md, v73). The price is granularity, as for
// split-K: tiles x S must fit the GPU's clusters in one wave, else S falls; with S = 1 it is
// data-parallel.
struct ClusterSplitKScheduler {
  static constexpr bool kClustered = true;  // grid sized by clusters (launch.cuh)
  static constexpr int kMaxSplits = 8;  // the portable cluster size limit

  // Blocks per tile (the cluster size): the most, up to kMaxSplits, for which every tile's
  // cluster is resident at once and each piece is at least kMinKPerPiece deep.
  // `clusters[s]`: how many clusters of s blocks the GPU holds at once (launch.cuh).
  template <class Gemm>
  static int splits(int m, int n, int k, const int* clusters) {
    const TileGrid<Gemm> g(m, n, k);
    const int by_depth = g.k_tiles / min_iters_per_piece<Gemm>();
    for (int s = by_depth < kMaxSplits ? by_depth : kMaxSplits; s > 1; --s)
      if (g.tiles() <= clusters[s]) return s;
    return 1;
  }

  // The grid: blocks in all, and per cluster (the splits; 1: launched without clusters).
  struct Launch {
    int64_t blocks;
    int cluster_blocks;
  };
  template <class Gemm>
  static Launch launch(int m, int n, int k, const int* clusters) {
    const int s = splits<Gemm>(m, n, k, clusters);
    return {TileGrid<Gemm>(m, n, k).tiles() * s, s};
  }

  template <class Gemm>
  static int64_t grid_blocks(int m, int n, int k, const int* clusters) {
    return launch<Gemm>(m, n, k, clusters).blocks;
  }

  template <class Gemm>
  static size_t workspace_bytes(int, int, int, const int*) {
    return 0;
  }

  template <class Gemm, class Params>
  __device__ static void run(const Params& p, char* smem) {
    static_assert(Gemm::kPipes == 1, "one pipe per block");
    const TileGrid<Gemm> grid(p.m, p.n, p.k);
    const int splits = cluster::size(), piece = cluster::rank();
    const int64_t tile = cluster::index();
    const int m0 = grid.m0(tile), n0 = grid.n0(tile);
    typename Gemm::Accum acc;
    MIXGEMM_TIMELINE(p, kTimelineStart);
    Gemm::mainloop(p, smem, m0, n0, int(int64_t(piece) * grid.k_tiles / splits),
                   int(int64_t(piece + 1) * grid.k_tiles / splits), acc);
    MIXGEMM_TIMELINE(p, kTimelineMainloop);
    if (splits == 1) {
      Gemm::store(p, acc, m0, n0);
      MIXGEMM_TIMELINE(p, kTimelineEnd);
      return;
    }
    // The stages are free (the mainloop ends at a barrier with no copy in flight).
    float* sums = reinterpret_cast<float*>(smem);
    Gemm::write_sums(sums, acc);
    cluster::sync();  // every piece's sums are in place
    MIXGEMM_TIMELINE(p, kTimelineHandedOff);
    // Groups of 4 columns of the tile's rows below M, cut into `splits` contiguous shares.
    constexpr int kQuadsPerRow = Gemm::kTileN / 4;
    const int rows = min(Gemm::kTileM, p.m - m0);
    const int quads = rows * kQuadsPerRow;
    const int end = (piece + 1) * quads / splits;
    // Each thread has kQuadsInFlight quads' loads from all pieces in flight before it adds
    // and stores any: the exchange waits on remote shared-memory latency, not on bandwidth
    // (v91: 2 gave 2-3% on the small layers at M = 16-128; 4 spilled and was slower).
    constexpr int kQuadsInFlight = 2;
    constexpr int kStride = Gemm::kBlockThreads;
    for (int q0 = piece * quads / splits + int(threadIdx.x); q0 < end;
         q0 += kQuadsInFlight * kStride) {
      float4 v[kQuadsInFlight][kMaxSplits];
#pragma unroll
      for (int j = 0; j < kQuadsInFlight; ++j) {
        const int q = q0 + j * kStride;
        if (q >= end) continue;
        const float* at = sums + (q / kQuadsPerRow) * Gemm::kSumsStride + (q % kQuadsPerRow) * 4;
#pragma unroll
        for (int b = 0; b < kMaxSplits; ++b)
          if (b < splits) v[j][b] = cluster::load_peer(at, b);
      }
#pragma unroll
      for (int j = 0; j < kQuadsInFlight; ++j) {
        const int q = q0 + j * kStride;
        if (q >= end) continue;
        float4& sum = v[j][0];
#pragma unroll
        for (int b = 1; b < kMaxSplits; ++b)
          if (b < splits)
            sum.x += v[j][b].x, sum.y += v[j][b].y, sum.z += v[j][b].z, sum.w += v[j][b].w;
        Gemm::store_quad(p, m0 + q / kQuadsPerRow, n0 + (q % kQuadsPerRow) * 4, sum);
      }
    }
    // No block leaves while another may still read its shared memory. The loads above were
    // all used by the adds, and the output needs no ordering here (the kernel's end orders it).
    cluster::sync_relaxed();
    MIXGEMM_TIMELINE(p, kTimelineEnd);
  }
};

}  // namespace mixgemm
