// Microbenchmark: sustained rate of wgmma m64nNk16 with A from registers (the sm90 family's
// RS form, fp16 in, fp32 accumulators), by N, warpgroups per SM, accumulator chains per
// warpgroup and wgmmas left in flight. One block per SM, no memory traffic: the ceiling that
// the sm90 K loop's tensor work can reach.
//   nvcc -std=c++17 -O3 -arch=sm_90a --expt-relaxed-constexpr -I$CUTLASS/include wgmma_rate.cu
#include <cstdio>
#include <utility>
#include <cuda_runtime.h>
#include <cute/arch/mma_sm90_desc.hpp>
#include <cute/arch/mma_sm90_gmma.hpp>

template <int N> struct Op;
template <> struct Op<64> { using T = cute::SM90::GMMA::MMA_64x64x16_F32F16F16_RS<cute::SM90::GMMA::Major::K, cute::SM90::GMMA::Major::K>; };
template <> struct Op<128> { using T = cute::SM90::GMMA::MMA_64x128x16_F32F16F16_RS<cute::SM90::GMMA::Major::K, cute::SM90::GMMA::Major::K>; };
template <> struct Op<256> { using T = cute::SM90::GMMA::MMA_64x256x16_F32F16F16_RS<cute::SM90::GMMA::Major::K, cute::SM90::GMMA::Major::K>; };

template <int N, size_t... I>
__device__ __forceinline__ void mma(const uint32_t (&a)[4], uint64_t d, float* acc, std::index_sequence<I...>) {
  Op<N>::T::fma(a[0], a[1], a[2], a[3], d, acc[I]..., cute::SM90::GMMA::ScaleOut::One);
}

template <int N, int C, int D>
__global__ void __launch_bounds__(N == 256 ? 256 : 512, 1) run(int iters, float* out) {
#if defined(__CUDA_ARCH_FEAT_SM90_ALL)
  extern __shared__ __align__(1024) char smem[];
  for (int i = threadIdx.x; i < N * 64 * 2 / 16; i += blockDim.x) reinterpret_cast<uint4*>(smem)[i] = make_uint4(0, 0, 0, 0);
  __syncthreads();
  asm volatile("fence.proxy.async.shared::cta;\n" ::: "memory");
  cute::GmmaDescriptor desc;
  desc.bitfield.start_address_ = uint16_t(static_cast<uint32_t>(__cvta_generic_to_shared(smem)) >> 4);
  desc.bitfield.leading_byte_offset_ = 1;
  desc.bitfield.stride_byte_offset_ = 1024 >> 4;
  desc.bitfield.layout_type_ = uint8_t(cute::SM90::GMMA::LayoutType::B128);
  float acc[C][N / 2];
  for (int c = 0; c < C; ++c)
    for (int i = 0; i < N / 2; ++i) acc[c][i] = 0.f;
  uint32_t a[4] = {0x3c003c00u ^ threadIdx.x, 0x3c003c00u, 0x3c003c00u, 0x3c003c00u};
  for (int it = 0; it < iters; ++it) {
#pragma unroll
    for (int s = 0; s < 8; ++s) {
#pragma unroll
      for (int i = 0; i < 4; ++i) cute::warpgroup_fence_operand(a[i]);
      cute::warpgroup_arrive();
      mma<N>(a, desc.desc_ + (s % 4) * 2, acc[s % C], std::make_index_sequence<N / 2>{});
      cute::warpgroup_commit_batch();
      cute::warpgroup_wait<D>();
    }
  }
  cute::warpgroup_wait<0>();
  float sum = 0.f;
  for (int c = 0; c < C; ++c)
    for (int i = 0; i < N / 2; ++i) sum += acc[c][i];
  if (sum == 12345.f) out[threadIdx.x] = sum;
#endif
}

template <int N, int C, int D>
void bench(int sms, int wgs) {
  const int iters = 2000, smem = N * 64 * 2 + 1024;
  auto k = run<N, C, D>;
  cudaFuncSetAttribute(k, cudaFuncAttributeMaxDynamicSharedMemorySize, smem);
  float* out; cudaMalloc(&out, 4096);
  cudaEvent_t e0, e1; cudaEventCreate(&e0); cudaEventCreate(&e1);
  k<<<sms, 128 * wgs, smem>>>(10, out);
  cudaEventRecord(e0);
  k<<<sms, 128 * wgs, smem>>>(iters, out);
  cudaEventRecord(e1); cudaEventSynchronize(e1);
  float ms; cudaEventElapsedTime(&ms, e0, e1);
  const double flops = 2.0 * 64 * N * 16 * 8 * double(iters) * wgs * sms;
  printf("N=%3d warpgroups=%d chains=%d in_flight=%d: %6.1f TFLOPS  (%s)\n", N, wgs, C, D + 1,
         flops / ms / 1e9, cudaGetErrorString(cudaGetLastError()));
  cudaFree(out);
}

int main() {
  int sms; cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, 0);
  for (int wgs = 1; wgs <= 4; ++wgs) {
    bench<64, 1, 1>(sms, wgs); bench<64, 2, 1>(sms, wgs); bench<64, 2, 0>(sms, wgs); bench<64, 1, 0>(sms, wgs);
  }
  for (int wgs = 1; wgs <= 4; wgs *= 2) { bench<128, 1, 1>(sms, wgs); bench<128, 2, 1>(sms, wgs); }
  for (int wgs = 1; wgs <= 2; ++wgs) { bench<256, 1, 1>(sms, wgs); }
  return 0;
}
