// Host side of every kernel family: the kernel entry point and the launcher each generated
// kernel instantiates. A family's Gemm provides kBlockThreads, kBlockSmemBytes, Scheduler and
// run(GemmParams) (sm80_gemm.cuh, sm90_gemm.cuh); its run() compiles to nothing for targets
// the family does not support.
#pragma once

#include <atomic>
#include <cstdlib>
#include <type_traits>

#include <cudaTypedefs.h>  // PFN_cuTensorMapEncodeTiled

#include "mixgemm/registry.cuh"
#include "mixgemm/sm80_gemm.cuh"
#include "mixgemm/sm90_gemm.cuh"

namespace mixgemm {

// Gemm::kMinBlocksPerSm is the family's register-allocation hint to ptxas (13.0): the sm80
// family asks for the blocks per SM that shared memory allows (decode tiles) or 1, so that
// registers never cap occupancy below what shared memory allows and big tiles may use every
// register a thread can have; the sm90 family asks for 2 where shared memory allows it and a
// thread keeps 96 registers, and gives none (0) otherwise, because its 256-row tile, at 254
// registers, spills with any hint. `gpu_check` counts ptxas spill warnings (0 expected).
template <class Gemm>
__global__ void __launch_bounds__(Gemm::kBlockThreads, Gemm::kMinBlocksPerSm) gemm_kernel(GemmParams p) {
  // With programmatic dependent launch (below), the next kernel on the stream may be scheduled
  // once every block of this grid has started, as SM resources free up; it waits for this one
  // to finish before it reads anything this kernel writes.
  allow_next_grid_to_launch();
  Gemm::run(p);
}

// The entry point of a kernel with TMA activations (sm90_gemm.cuh, kTmaActivations): its
// arguments carry the activations' tensor map, which the copy engine reads where it lies, so
// they stay in parameter space (__grid_constant__). A kernel of its own: that changes how
// every argument is read, and the other kernels' code stays as it was measured.
template <class Gemm>
__global__ void __launch_bounds__(Gemm::kBlockThreads, Gemm::kMinBlocksPerSm)
    gemm_kernel_tma(const __grid_constant__ TmaGemmParams p) {
  allow_next_grid_to_launch();
  Gemm::run(p);
}

template <class Gemm>
constexpr auto kernel_entry() {
  if constexpr (Gemm::kTmaActivations)
    return &gemm_kernel_tma<Gemm>;
  else
    return &gemm_kernel<Gemm>;
}

// Programmatic dependent launch (sm90+), opt-in with MIXGEMM_PDL=1 in the environment (read
// once, when the first kernel launches): the kernel may then be scheduled while the previous
// kernel on the stream drains, and waits for it (griddepcontrol.wait) before it reads
// activations or touches the output and workspace. Off by default: it helps only when the
// neighbouring kernels take part (TensorRT-LLM-style graphs), and the benchmark's back-to-back
// calls of one GEMM would overstate that (bench/NOTES.md, session 4).
inline bool programmatic_dependent_launch() {
  static const bool enabled = [] {
    const char* v = getenv("MIXGEMM_PDL");
    return v != nullptr && atoi(v) != 0;
  }();
  return enabled;
}

// What launching a kernel on a device needs to know, queried once per kernel and device.
struct KernelFacts {
  int capacity;  // blocks of the kernel the whole GPU holds at once
  int sm_major;  // compute capability major: programmatic dependent launch needs 9+
  // Clustered schedulers only: clusters[s], how many clusters of s blocks of the kernel the
  // GPU holds at once (s = 2 .. kMaxSplits; a cluster must fit in one GPC).
  int clusters[ClusterSplitKScheduler::kMaxSplits + 1];
};

// How a scheduler sizes its grid: by the blocks the GPU holds, or by its clusters.
template <class Gemm>
auto grid_sizing(const KernelFacts& facts) {
  if constexpr (Gemm::Scheduler::kClustered)
    return static_cast<const int*>(facts.clusters);
  else
    return facts.capacity;
}

// The launch configuration's cluster size attribute: `blocks` per cluster along x.
inline cudaLaunchAttribute cluster_attribute(int blocks) {
  cudaLaunchAttribute a = {};
  a.id = cudaLaunchAttributeClusterDimension;
  a.val.clusterDim.x = unsigned(blocks), a.val.clusterDim.y = 1, a.val.clusterDim.z = 1;
  return a;
}

// clusters[s] for s = 2 .. kMaxSplits (KernelFacts::clusters); clusters[0], [1] unused.
template <class Gemm>
cudaError_t query_clusters(int* clusters) {
  clusters[0] = clusters[1] = 0;
  for (int s = 2; s <= ClusterSplitKScheduler::kMaxSplits; ++s) {
    cudaLaunchConfig_t config = {};
    config.gridDim = dim3(unsigned(s));
    config.blockDim = dim3(Gemm::kBlockThreads);
    config.dynamicSmemBytes = Gemm::kBlockSmemBytes;
    cudaLaunchAttribute attribute = cluster_attribute(s);
    config.attrs = &attribute, config.numAttrs = 1;
    const cudaError_t err =
        cudaOccupancyMaxActiveClusters(&clusters[s], kernel_entry<Gemm>(), &config);
    if (err != cudaSuccess) return err;
  }
  return cudaSuccess;
}

// Per kernel and device: opt in to > 48 KB of dynamic shared memory (once), and how many
// blocks of the kernel the whole GPU holds at once (persistent schedulers size their grid by
// it: a Stream-K block waits for later blocks, which must all be resident), and for a
// clustered scheduler how many clusters of each size.
// Neither call is a stream operation, so both are fine during CUDA-graph capture.
template <class Gemm>
mixgemm_status_t kernel_facts(KernelFacts* facts) {
  constexpr int kMaxDevices = 64;
  static std::atomic<int> cached_capacity[kMaxDevices];  // 0: not yet known
  static std::atomic<int> cached_major[kMaxDevices];
  static std::atomic<int> cached_clusters[kMaxDevices][ClusterSplitKScheduler::kMaxSplits + 1];
  constexpr int kClusterSizes = ClusterSplitKScheduler::kMaxSplits + 1;
  int device = 0, num_sms = 0, major = 0;
  cudaError_t err = cudaGetDevice(&device);
  if (err == cudaSuccess && device < kMaxDevices && cached_capacity[device].load() > 0) {
    *facts = {cached_capacity[device].load(), cached_major[device].load(), {}};
    for (int s = 0; s < kClusterSizes; ++s) facts->clusters[s] = cached_clusters[device][s].load();
    return MIXGEMM_STATUS_SUCCESS;
  }
  if (err == cudaSuccess)
    err = cudaDeviceGetAttribute(&num_sms, cudaDevAttrMultiProcessorCount, device);
  if (err == cudaSuccess)
    err = cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, device);
  if (err == cudaSuccess && Gemm::kBlockSmemBytes > 48 * 1024)
    err = cudaFuncSetAttribute(kernel_entry<Gemm>(), cudaFuncAttributeMaxDynamicSharedMemorySize,
                               Gemm::kBlockSmemBytes);
  int per_sm = 0;
  if (err == cudaSuccess)
    err = cudaOccupancyMaxActiveBlocksPerMultiprocessor(&per_sm, kernel_entry<Gemm>(),
                                                        Gemm::kBlockThreads,
                                                        Gemm::kBlockSmemBytes);
  *facts = {num_sms * per_sm, major, {}};
  if constexpr (Gemm::Scheduler::kClustered) {  // other kernels need no cluster queries
    if (err == cudaSuccess && per_sm >= 1) err = query_clusters<Gemm>(facts->clusters);
  }
  if (err != cudaSuccess)
    return fail(MIXGEMM_STATUS_CUDA_ERROR, "preparing the kernel on the device: %s",
                cudaGetErrorString(err));
  if (per_sm < 1)
    return fail(MIXGEMM_STATUS_DEVICE_UNSUPPORTED, "the kernel does not fit on an SM");
  if (device < kMaxDevices) {
    for (int s = 0; s < kClusterSizes; ++s) cached_clusters[device][s].store(facts->clusters[s]);
    cached_major[device].store(major);
    cached_capacity[device].store(facts->capacity);  // last: it marks the entry as known
  }
  return MIXGEMM_STATUS_SUCCESS;
}

// The activations A [M, K] (row stride lda) as the TMA tensor map of a kTmaActivations kernel
// (sm90_gemm.cuh): boxes of 64 columns (128 bytes) by BM rows, the 128-byte swizzle that wgmma
// reads, zeros past M and K. Encoding is host work (no stream operation, so it is captured into
// a CUDA graph as part of the launch's arguments). api.cu has checked what the copy engine
// needs: A 16-byte aligned, lda a multiple of 8 elements.
template <class Gemm>
mixgemm_status_t encode_activation_map(const mixgemm_problem_t* p, CUtensorMap* map) {
  // The driver entry point, looked up once (the runtime exports no wrapper for it).
  static const PFN_cuTensorMapEncodeTiled_v12000 encode = [] {
    void* fn = nullptr;
    cudaDriverEntryPointQueryResult found{};
    if (cudaGetDriverEntryPointByVersion("cuTensorMapEncodeTiled", &fn, 12000, cudaEnableDefault,
                                         &found) != cudaSuccess ||
        found != cudaDriverEntryPointSuccess)
      fn = nullptr;
    return reinterpret_cast<PFN_cuTensorMapEncodeTiled_v12000>(fn);
  }();
  if (encode == nullptr)
    return fail(MIXGEMM_STATUS_CUDA_ERROR, "the CUDA driver has no cuTensorMapEncodeTiled");
  const CUtensorMapDataType type = std::is_same_v<typename Gemm::Act, F16>
                                       ? CU_TENSOR_MAP_DATA_TYPE_FLOAT16
                                       : CU_TENSOR_MAP_DATA_TYPE_BFLOAT16;
  const cuuint64_t dims[2] = {cuuint64_t(p->k), cuuint64_t(p->m)};  // innermost first
  const cuuint64_t row_stride_bytes[1] = {cuuint64_t(p->lda) * 2};
  const cuuint32_t box[2] = {64, cuuint32_t(Gemm::kTileM)};
  const cuuint32_t element_strides[2] = {1, 1};
  const CUresult r = encode(map, type, 2, const_cast<void*>(p->a), dims, row_stride_bytes, box,
                            element_strides, CU_TENSOR_MAP_INTERLEAVE_NONE,
                            CU_TENSOR_MAP_SWIZZLE_128B, CU_TENSOR_MAP_L2_PROMOTION_L2_256B,
                            CU_TENSOR_MAP_FLOAT_OOB_FILL_NONE);
  if (r != CUDA_SUCCESS)
    return fail(MIXGEMM_STATUS_CUDA_ERROR, "encoding the activations' tensor map: CUresult %d",
                int(r));
  return MIXGEMM_STATUS_SUCCESS;
}

template <class Gemm>
mixgemm_status_t kernel_workspace(const mixgemm_problem_t* p, size_t* bytes) {
  KernelFacts facts;
  const mixgemm_status_t st = kernel_facts<Gemm>(&facts);
  if (st == MIXGEMM_STATUS_SUCCESS)
    *bytes = Gemm::Scheduler::template workspace_bytes<Gemm>(int(p->m), int(p->n), int(p->k),
                                                             grid_sizing<Gemm>(facts));
  return st;
}

// The problem has been validated against this kernel by the caller (api.cu).
template <class Gemm>
mixgemm_status_t kernel_launch(const mixgemm_problem_t* p, void* workspace, size_t workspace_bytes,
                             cudaStream_t stream) {
  KernelFacts facts;
  mixgemm_status_t st = kernel_facts<Gemm>(&facts);
  if (st != MIXGEMM_STATUS_SUCCESS) return st;
  const auto sizing = grid_sizing<Gemm>(facts);
  const int m = int(p->m), n = int(p->n), k = int(p->k);
  const size_t need = Gemm::Scheduler::template workspace_bytes<Gemm>(m, n, k, sizing);
  if (workspace_bytes < need || (need > 0 && workspace == nullptr))
    return fail(MIXGEMM_STATUS_WORKSPACE_TOO_SMALL, "workspace of %zu bytes, %zu needed",
                workspace_bytes, need);
  if (need > 0 && reinterpret_cast<uintptr_t>(workspace) % 16)
    return fail(MIXGEMM_STATUS_MISALIGNED, "the workspace must be 16-byte aligned");

  int64_t blocks;
  int cluster_blocks = 1;
  if constexpr (Gemm::Scheduler::kClustered) {
    // The grid is tiles x splits blocks, each tile's pieces adjacent: one cluster per tile.
    const auto launch = Gemm::Scheduler::template launch<Gemm>(m, n, k, sizing);
    blocks = launch.blocks, cluster_blocks = launch.cluster_blocks;
  } else {
    blocks = Gemm::Scheduler::template grid_blocks<Gemm>(m, n, k, sizing);
  }
  if (blocks > INT32_MAX)
    return fail(MIXGEMM_STATUS_INVALID_SHAPE, "%lld thread blocks exceed the grid limit",
                (long long)blocks);
  cudaLaunchConfig_t config = {};
  config.gridDim = dim3(unsigned(blocks));
  config.blockDim = dim3(Gemm::kBlockThreads);
  config.dynamicSmemBytes = Gemm::kBlockSmemBytes;
  config.stream = stream;
  cudaLaunchAttribute attributes[2] = {};
  config.attrs = attributes;
  const bool programmatic = facts.sm_major >= 9 && programmatic_dependent_launch();
  if (programmatic) {
    cudaLaunchAttribute& a = attributes[config.numAttrs++];
    a.id = cudaLaunchAttributeProgrammaticStreamSerialization;
    a.val.programmaticStreamSerializationAllowed = 1;
  }
  if (cluster_blocks > 1) attributes[config.numAttrs++] = cluster_attribute(cluster_blocks);
  // The kernel orders its pipeline prologue by how it was launched (stage_copy.cuh).
  std::conditional_t<Gemm::kTmaActivations, TmaGemmParams, GemmParams> params{};
  static_cast<GemmParams&>(params) =
      GemmParams{m, n, k, p->a, p->lda, static_cast<const uint32_t*>(p->weight), p->scales,
                 p->c, p->ldc, workspace, programmatic};
  if constexpr (Gemm::kTmaActivations) {
    st = encode_activation_map<Gemm>(p, &params.act_map);
    if (st != MIXGEMM_STATUS_SUCCESS) return st;
  }
  cudaError_t err = cudaLaunchKernelEx(&config, kernel_entry<Gemm>(), params);
  if (err == cudaSuccess) err = cudaGetLastError();
  if (err != cudaSuccess)
    return fail(MIXGEMM_STATUS_CUDA_ERROR, "kernel launch: %s", cudaGetErrorString(err));
  return MIXGEMM_STATUS_SUCCESS;
}

}  // namespace mixgemm
