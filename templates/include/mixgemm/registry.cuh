// The kernel registry shared by the hand-written API (templates/src/api.cu) and the generated
// dispatch table (generated/dispatch.cu). Host-only.
#pragma once

#include <cstddef>

#include <cuda_runtime.h>

#include "mixgemm.h"

namespace mixgemm {

using LaunchFn = mixgemm_status_t (*)(const mixgemm_problem_t*, void* workspace,
                                      size_t workspace_bytes, cudaStream_t);
using WorkspaceFn = mixgemm_status_t (*)(const mixgemm_problem_t*, size_t* bytes);

struct KernelEntry {
  mixgemm_kernel_info_t info;
  LaunchFn launch;
  WorkspaceFn workspace;
};

// Generated (dispatch.cu): every kernel of the library, sorted by name.
extern const KernelEntry kKernels[];
extern const int kKernelCount;

// Generated (dispatch.cu): the heuristic. Returns a kernel that can run `p` on a device of
// compute capability `sm` (major * 10 + minor; 0 if unknown) (can_run() true), or nullptr.
const KernelEntry* heuristic_select(const mixgemm_problem_t& p, int sm);

// Hand-written (api.cu): does this kernel implement this problem? Sets the last error if not.
mixgemm_status_t check_kernel(const KernelEntry& e, const mixgemm_problem_t& p);
// Does it implement the problem, with code for the device (sm 0: any device)?
bool can_run(const KernelEntry& e, const mixgemm_problem_t& p, int sm);
// The first kernel of this family (arch), tile, depth, scheduler, pipes and weight copy that
// can run `p` on `sm`, or nullptr.
const KernelEntry* find_kernel(const mixgemm_problem_t& p, int sm, int arch, int tile_m,
                               int tile_n, int tile_k, int stages, const char* scheduler,
                               int pipes, int bulk_weights, int tma_activations,
                               int producer_warp);

// Hand-written (api.cu): record a failure's detail for mixgemm_last_error().
mixgemm_status_t fail(mixgemm_status_t status, const char* fmt, ...);

}  // namespace mixgemm
