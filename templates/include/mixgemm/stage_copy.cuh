// What the kernel families' mainloops share: the kernel arguments, the stage layout, the
// 16-byte cp.async copies (StageCopy: zero-fill, group scales), programmatic dependent launch
// and a compile-time loop over k16 steps. load_stage_weights below serves the sm90 family (the
// sm80 family copies its stages through its own per-tile SliceSources); pipeline_prologue, the
// order of a pipeline's first copies, serves both.
#pragma once

#include <cstdint>
#include <type_traits>

#include <cuda.h>  // CUtensorMap

#include <cute/arch/copy_sm80.hpp>

namespace mixgemm {

// Kernel arguments, already validated on the host (templates/src/api.cu).
struct GemmParams {
  int m, n, k;
  const void* a;
  int64_t lda;
  const uint32_t* w;     // packed codes: [K/64][N/16][32 lanes][bits words]
  const void* scales;    // [K/group, N] (per-channel: [1, N]), activation dtype
  void* c;
  int64_t ldc;
  void* workspace;
  bool programmatic_launch;  // launched with programmatic dependent launch (launch.cuh)
};

// The arguments of a kernel that loads its activations by TMA (sm90_gemm.cuh,
// kTmaActivations): also their tensor map, encoded by the launcher. The copy engine reads it
// from the kernel's parameter space: the kernel takes these as a __grid_constant__ and every
// function takes them by reference (as `const GemmParams&`), never by copy. A separate type,
// so that the other kernels' arguments, and their code, stay as they are.
struct TmaGemmParams : GemmParams {
  CUtensorMap act_map;
};

// Programmatic dependent launch (sm90+; no-ops when the kernel was launched without it).
// Everything before wait_for_prior_grid() may overlap the previous kernel on the stream, so it
// must touch only what no kernel writes: the packed weights and scales (pipeline_prologue
// below issues the first slices' weights there). The activations, the output and the
// workspace come after it.
__device__ __forceinline__ void allow_next_grid_to_launch() {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
  asm volatile("griddepcontrol.launch_dependents;" ::: "memory");
#endif
}
__device__ __forceinline__ void wait_for_prior_grid() {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
  asm volatile("griddepcontrol.wait;" ::: "memory");
#endif
}

// Thread blocks of `smem_bytes` dynamic shared memory that one SM of the target being
// compiled holds at once (CUDA C Programming Guide, compute capabilities: shared memory per SM
// less 1 KB reserved per block). Only meaningful in device code; 1 on the host pass.
__host__ __device__ constexpr int blocks_per_sm_by_smem(int smem_bytes) {
#if defined(__CUDA_ARCH__)
#if __CUDA_ARCH__ >= 900
  constexpr int kSmemPerSm = 228 * 1024;  // H100/H200
#elif __CUDA_ARCH__ == 800 || __CUDA_ARCH__ == 870
  constexpr int kSmemPerSm = 164 * 1024;  // A100, Orin
#else
  constexpr int kSmemPerSm = 100 * 1024;  // sm_86, sm_89
#endif
  const int blocks = kSmemPerSm / (smem_bytes + 1024);
  return blocks > 1 ? blocks : 1;
#else
  (void)smem_bytes;
  return 1;
#endif
}

// Thread blocks of `threads` threads at `registers` registers a thread that one SM holds at
// once, counted as cuda_occupancy.h does: a warp takes its registers, in units of 256, from the
// register file (16384 registers on sm_80 to sm_90) of the one of the SM's 4 sub-partitions it
// runs on, so 9-warp blocks at 98 registers fit once where at 96 they fit twice.
// bench/occupancy.py counts the same.
__host__ __device__ constexpr int blocks_per_sm_by_registers(int threads, int registers) {
  const int registers_per_warp = (registers * 32 + 255) / 256 * 256;
  const int warps_per_block = (threads + 31) / 32;
  return 16384 / registers_per_warp * 4 / warps_per_block;
}

// Compile-time loop: f(std::integral_constant<int, I>) for I in [I, N), so that each step's
// register indices and shifts are constants.
template <int I, int N, class F>
__device__ __forceinline__ void static_for(F&& f) {
  if constexpr (I < N) {
    f(std::integral_constant<int, I>{});
    static_for<I + 1, N>(f);
  }
}

// The slices [first, count) of a K range through a kStages-slot pipeline, in order: slice i
// lives in slot i % kStages, and is the (i / kStages)-th use of that slot, whose parity (the
// phase of the slot's barriers) is passed along: body(slot, i, parity). With kConstantSlots
// one loop iteration is a round over the slots and `slot` a std::integral_constant, so that
// the slot's stage and barrier addresses fold into constant offsets; ptxas recomputes them
// every slice from a runtime slot (bench/NOTES.md, session 15). Without it, one slice per
// iteration, for loops whose registers would not take the kStages-fold longer body.
template <int kStages, bool kConstantSlots, class Body>
__device__ __forceinline__ void for_each_slice(int first, int count, Body&& body) {
  if constexpr (kConstantSlots) {
    for (int round = first / kStages; round * kStages < count; ++round) {
      static_for<0, kStages>([&](auto slot) {
        const int i = round * kStages + slot;
        if (i >= first && i < count) body(slot, i, round & 1);
      });
    }
  } else {
    for (int i = first; i < count; ++i) body(i % kStages, i, (i / kStages) & 1);
  }
}

// A block may run kPipes pipelines side by side, each of kThreads threads over its own K range
// (sm80_gemm.cuh): this thread's index within its pipe, and its pipe. Plain threadIdx.x when the
// block is one pipe, so those kernels compile exactly as before pipes existed.
template <int kThreads, int kPipes>
__device__ __forceinline__ unsigned pipe_thread() {
  return kPipes == 1 ? threadIdx.x : threadIdx.x % kThreads;
}
template <int kThreads, int kPipes>
__device__ __forceinline__ unsigned pipe_index() {
  return kPipes == 1 ? 0 : threadIdx.x / kThreads;
}

// 16-byte cp.async chunks of one stage, spread over the kThreads threads of a pipe.
template <int kThreads, int kPipes = 1>
struct StageCopy {
  // Thread tid of the pipe copies chunks tid, tid + kThreads, ... of a stage region.
  template <int kChunks, class F>
  __device__ __forceinline__ static void for_each_chunk(F&& f) {
#pragma unroll
    for (int i = 0; i < (kChunks + kThreads - 1) / kThreads; ++i) {
      const int c = pipe_thread<kThreads, kPipes>() + i * kThreads;
      if (kChunks % kThreads == 0 || c < kChunks) f(c);
    }
  }

  // Zero-fill keeps out-of-range rows harmless; the address is still clamped in bounds.
  __device__ __forceinline__ static void copy16(void* smem_dst, const void* gmem_src, bool pred,
                                                 const void* safe_src) {
    using Copy = cute::SM80_CP_ASYNC_CACHEGLOBAL_ZFILL<cute::uint128_t>;
    Copy::copy(*static_cast<const cute::uint128_t*>(pred ? gmem_src : safe_src),
               *static_cast<cute::uint128_t*>(smem_dst), pred);
  }

  // Packed weights of K rows [k0, k0 + BK) and columns [n0, n0 + BN): BK/64 rows of BN/16
  // packing units, each row contiguous in global memory, copied to `dst` in that order.
  // `k_left` = K - k0 (a multiple of 64: the last slice may be partial).
  template <int BN, int BK, int kUnitWords>
  __device__ __forceinline__ static void weights(const GemmParams& p, char* dst, int n0, int k0,
                                                 int k_left) {
    constexpr int kChunksPerUnit = kUnitWords / 4;
    constexpr int kChunksPerRow = (BN / 16) * kChunksPerUnit;
    const int units_n = p.n / 16;
    const int units_left = units_n - n0 / 16;
    const uint32_t* W = p.w + (int64_t(k0 / 64) * units_n + n0 / 16) * kUnitWords;
    for_each_chunk<(BK / 64) * kChunksPerRow>([&](int c) {
      const int ku = c / kChunksPerRow, rest = c % kChunksPerRow;
      const bool ok = ku * 64 < k_left && rest / kChunksPerUnit < units_left;
      copy16(dst + c * 16, W + ku * units_n * kUnitWords + rest * 4, ok, p.w);
    });
  }

  // The kRows group-scale rows the K slice [k0, k0 + BK) touches, BN columns each.
  template <class Scalar, int BN, int kGroup, int kRows>
  __device__ __forceinline__ static void scales(const GemmParams& p, char* dst, int n0, int k0,
                                                int k_left) {
    constexpr int kChunksPerRow = BN / 8;
    const Scalar* S = static_cast<const Scalar*>(p.scales) + int64_t(k0 / kGroup) * p.n + n0;
    const int n_left = p.n - n0;
    for_each_chunk<kRows * kChunksPerRow>([&](int c) {
      const int r = c / kChunksPerRow, nc = c % kChunksPerRow;
      const bool ok = r * kGroup < k_left && nc * 8 < n_left;
      copy16(dst + c * 16, S + r * p.n + nc * 8, ok, p.scales);
    });
  }
};

// One pipeline stage of a Gemm (sm80_gemm.cuh, sm90_gemm.cuh) is laid out as [activations:
// kSmemA bytes][packed weights: kSmemB][group scales], and copied in two halves: the
// activations, in the family's own layout (Gemm::load_activations), and the weights with their
// scales (below). The pipeline prologue issues the halves apart. The sm80 family copies its
// stages in this layout through its own SliceSources instead (sm80_gemm.cuh).
template <class Gemm>
__device__ __forceinline__ void load_stage_weights(const GemmParams& p, char* stage, int n0,
                                                   int kt) {
  using Copy = StageCopy<Gemm::kThreads>;
  const int k0 = kt * Gemm::kTileK;
  Copy::template weights<Gemm::kTileN, Gemm::kTileK, Gemm::kUnitWords>(p, stage + Gemm::kSmemA,
                                                                      n0, k0, p.k - k0);
  if constexpr (Gemm::kScaleRows > 0)
    Copy::template scales<typename Gemm::Scalar, Gemm::kTileN, Gemm::kGroup, Gemm::kScaleRows>(
        p, stage + Gemm::kSmemA + Gemm::kSmemB, n0, k0, p.k - k0);
}

// The first kSlices slices of a pipeline over K tiles [kt_begin, kt_end), one cp.async commit
// group per slice, as the mainloops count them ("group i has landed" implies "slice i has
// landed"). weights(st) and activations(st) issue the copies of slice kt_begin + st into
// stage st, each its own way (the sm90 family's cp.async or bulk weight copies).
//
// Under programmatic dependent launch the weights and scales of all kSlices go first, before
// wait_for_prior_grid(), so that they stream in while the previous kernel drains. They all
// join the first group, so the first slice waits for more than it needs. Without it, each
// group holds one whole slice and slice 0 lands first: issuing every weight first cost 1-5%
// on the decode kernels that start pipelines most often (Stream-K, 3-bit; bench/NOTES.md,
// session 4).
template <int kSlices, class Weights, class Activations>
__device__ __forceinline__ void pipeline_prologue(const GemmParams& p, int kt_begin, int kt_end,
                                                  Weights&& weights, Activations&& activations) {
  if (p.programmatic_launch) {
#pragma unroll
    for (int st = 0; st < kSlices; ++st)
      if (kt_begin + st < kt_end) weights(st);
    wait_for_prior_grid();
  }
#pragma unroll
  for (int st = 0; st < kSlices; ++st) {
    if (kt_begin + st < kt_end) {
      activations(st);
      if (!p.programmatic_launch) weights(st);
    }
    cute::cp_async_fence();
  }
}

}  // namespace mixgemm
