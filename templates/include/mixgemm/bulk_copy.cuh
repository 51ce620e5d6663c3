// Hopper bulk copies (TMA without a tensor map) and the shared-memory barriers that count
// their bytes (PTX ISA 8.0: "cp.async.bulk", "mbarrier"). sm_90 and later only.
//
// One thread copies a contiguous global range into shared memory with a single instruction;
// the copy engine signals the stage's barrier as the bytes land, and every thread that reads
// the stage waits on that barrier's phase. The sm90 family streams its packed weights and
// scales this way (sm90_gemm.cuh): no thread spends instructions on per-chunk addresses.
#pragma once

#include <cstdint>

namespace mixgemm {
namespace bulk {

__device__ __forceinline__ uint32_t smem_address(const void* p) {
  return static_cast<uint32_t>(__cvta_generic_to_shared(p));
}

// A barrier that completes a phase when `arrivals` threads have arrived and all the bytes they
// announced have landed.
__device__ __forceinline__ void init(uint64_t* barrier, int arrivals) {
  asm volatile("mbarrier.init.shared::cta.b64 [%0], %1;" ::"r"(smem_address(barrier)),
               "r"(arrivals)
               : "memory");
}

__device__ __forceinline__ void invalidate(uint64_t* barrier) {
  asm volatile("mbarrier.inval.shared::cta.b64 [%0];" ::"r"(smem_address(barrier)) : "memory");
}

// Makes barriers initialised by this thread visible to the copy engine and, after a
// __syncthreads, to the other threads.
__device__ __forceinline__ void fence_init() {
  asm volatile("fence.mbarrier_init.release.cluster;" ::: "memory");
}

// Arrive, announcing the bytes that copies of this phase will deliver.
__device__ __forceinline__ void arrive_expecting(uint64_t* barrier, uint32_t bytes) {
  asm volatile("mbarrier.arrive.expect_tx.shared::cta.b64 _, [%0], %1;" ::"r"(
                   smem_address(barrier)),
               "r"(bytes)
               : "memory");
}

// A plain arrival (no bytes announced): a reader's "done with this stage".
__device__ __forceinline__ void arrive(uint64_t* barrier) {
  asm volatile("mbarrier.arrive.shared::cta.b64 _, [%0];" ::"r"(smem_address(barrier))
               : "memory");
}

// `bytes` (a multiple of 16; both addresses 16-byte aligned) from global to shared memory,
// counted on `barrier`. The shared::cluster destination is this block's own shared memory: a
// block launched without a cluster is a cluster of one.
__device__ __forceinline__ void copy(void* smem_dst, const void* gmem_src, uint32_t bytes,
                                     uint64_t* barrier) {
  asm volatile(
      "cp.async.bulk.shared::cluster.global.mbarrier::complete_tx::bytes [%0], [%1], %2, [%3];"
      ::"r"(smem_address(smem_dst)), "l"(gmem_src), "r"(bytes), "r"(smem_address(barrier))
      : "memory");
}

// One box of a 2-D tensor map (the box, swizzle and zero fill past the tensor's edges are the
// map's: cuTensorMapEncodeTiled) at element coordinates (x: innermost, y), counted on
// `barrier`. `tensor_map` must point into the kernel's parameters (a __grid_constant__), constant
// or global memory. The whole box's bytes are counted, zero-filled parts included.
__device__ __forceinline__ void copy_tile_2d(void* smem_dst, const void* tensor_map, int x, int y,
                                            uint64_t* barrier) {
  asm volatile(
      "cp.async.bulk.tensor.2d.shared::cluster.global.tile.mbarrier::complete_tx::bytes"
      " [%0], [%1, {%2, %3}], [%4];" ::"r"(smem_address(smem_dst)),
      "l"(tensor_map), "r"(x), "r"(y), "r"(smem_address(barrier))
      : "memory");
}

// Starts fetching a tensor map into the copy engine's descriptor cache, so that the first copy
// through it does not wait for that fetch.
__device__ __forceinline__ void prefetch_tensor_map(const void* tensor_map) {
  asm volatile("prefetch.tensormap [%0];" ::"l"(tensor_map) : "memory");
}

// Until the barrier's phase with parity `phase` has completed.
__device__ __forceinline__ void wait(uint64_t* barrier, uint32_t phase) {
  asm volatile(
      "{\n"
      ".reg .pred done;\n"
      "retry:\n"
      "mbarrier.try_wait.parity.shared::cta.b64 done, [%0], %1;\n"
      "@!done bra retry;\n"
      "}\n" ::"r"(smem_address(barrier)),
      "r"(phase)
      : "memory");
}

}  // namespace bulk
}  // namespace mixgemm
