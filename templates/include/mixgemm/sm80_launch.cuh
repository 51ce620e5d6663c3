// Host side of the sm80 family: the launcher each generated kernel instantiates.
#pragma once

#include <atomic>

#include "mixgemm/registry.cuh"
#include "mixgemm/sm80_gemm.cuh"

namespace mixgemm {

template <class Gemm>
size_t sm80_workspace(const mixgemm_problem_t* p, int num_sms) {
  return Gemm::Scheduler::template workspace_bytes<Gemm>(int(p->m), int(p->n), int(p->k),
                                                         num_sms);
}

// The problem has been validated against this kernel by the caller (api.cu).
template <class Gemm>
mixgemm_status_t sm80_launch(const mixgemm_problem_t* p, void* workspace, size_t workspace_bytes,
                             cudaStream_t stream) {
  int device = 0, num_sms = 0;
  cudaError_t err = cudaGetDevice(&device);
  if (err == cudaSuccess)
    err = cudaDeviceGetAttribute(&num_sms, cudaDevAttrMultiProcessorCount, device);
  if (err != cudaSuccess)
    return fail(MIXGEMM_STATUS_CUDA_ERROR, "querying the device: %s", cudaGetErrorString(err));

  const size_t need = sm80_workspace<Gemm>(p, num_sms);
  if (workspace_bytes < need || (need > 0 && workspace == nullptr))
    return fail(MIXGEMM_STATUS_WORKSPACE_TOO_SMALL, "workspace of %zu bytes, %zu needed",
                workspace_bytes, need);

  // Above 48 KB a kernel must opt in to dynamic shared memory, once per device. Not a stream
  // operation, so it is also fine during CUDA-graph capture.
  static std::atomic<unsigned long long> opted_in{0};
  const unsigned long long bit = 1ull << (device % 64);
  if (Gemm::kSmemBytes > 48 * 1024 && !(opted_in.load() & bit)) {
    err = cudaFuncSetAttribute(sm80_gemm_kernel<Gemm>,
                               cudaFuncAttributeMaxDynamicSharedMemorySize, Gemm::kSmemBytes);
    if (err != cudaSuccess)
      return fail(MIXGEMM_STATUS_CUDA_ERROR, "cudaFuncSetAttribute: %s", cudaGetErrorString(err));
    opted_in.fetch_or(bit);
  }

  GemmParams params{int(p->m),  int(p->n),    int(p->k), p->a,      p->lda,
                    static_cast<const uint32_t*>(p->weight), p->scales, p->c, p->ldc,
                    workspace};
  const dim3 grid = Gemm::Scheduler::template grid<Gemm>(params.m, params.n, params.k, num_sms);
  sm80_gemm_kernel<Gemm><<<grid, Gemm::kThreads, Gemm::kSmemBytes, stream>>>(params);
  err = cudaGetLastError();
  if (err != cudaSuccess)
    return fail(MIXGEMM_STATUS_CUDA_ERROR, "launching %s: %s", "sm80 kernel",
                cudaGetErrorString(err));
  return MIXGEMM_STATUS_SUCCESS;
}

}  // namespace mixgemm
