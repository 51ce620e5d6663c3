// Tile schedulers: which output tiles, and which K range of each, a thread block computes.
// A scheduler provides grid() (host) and run<Gemm>() (device), which drives Gemm::mainloop
// and Gemm::store. Split-K and Stream-K plug in here.
#pragma once

#include <cuda_runtime.h>

namespace mixgemm {

struct GemmParams;

// One block per BM x BN output tile over the whole K: no workspace, no inter-block traffic.
struct DataParallelScheduler {
  template <class Gemm>
  static dim3 grid(int m, int n, int /*k*/, int /*num_sms*/) {
    // N tiles on x (up to 2^31-1 blocks), M tiles on y (M < 2^16 * BM).
    return dim3((n + Gemm::kTileN - 1) / Gemm::kTileN, (m + Gemm::kTileM - 1) / Gemm::kTileM);
  }

  template <class Gemm>
  static size_t workspace_bytes(int /*m*/, int /*n*/, int /*k*/, int /*num_sms*/) {
    return 0;
  }

  template <class Gemm, class Params>
  __device__ static void run(const Params& p, char* smem, int k_tiles) {
    const int m0 = blockIdx.y * Gemm::kTileM, n0 = blockIdx.x * Gemm::kTileN;
    typename Gemm::Accum acc;
    Gemm::mainloop(p, smem, m0, n0, 0, k_tiles, acc);
    Gemm::store(p, acc, m0, n0);
  }
};

}  // namespace mixgemm
