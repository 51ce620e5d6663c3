/* A C program that links libmixgemm through mixgemm.h only: lists the kernels, shows the
 * status of a bad problem, and (built with -DMIXGEMM_EXAMPLE_WITH_CUDA and a GPU) runs a
 * small GEMM with exact small-integer inputs and checks it.
 *
 *   cc -std=c99 -Ibuild/include tests/c/example.c -Lbuild -lmixgemm -Wl,-rpath,build -o example
 */
#include <stdio.h>
#include <string.h>

#include "mixgemm.h"

#ifdef MIXGEMM_EXAMPLE_WITH_CUDA
#include <cuda_runtime_api.h>

/* M=4, K=64, N=16, 4-bit codes, per-channel scales of 1.0: C[m][n] = sum_k A[m][k] * (code-8).
 * Every code is 9 (weight +1) except column n, row k = n, which is 10 (weight +2); A is all 1,
 * so C[m][n] = 64 + 1 = 65 for every m, n. fp16 1.0 = 0x3C00. */
static int run_small_gemm(void) {
  enum { M = 4, K = 64, N = 16 };
  unsigned short a[M * K], scales[N], c[M * N];
  unsigned int packed[(K / 64) * (N / 16) * 32 * 4];
  for (int i = 0; i < M * K; ++i) a[i] = 0x3C00;
  for (int i = 0; i < N; ++i) scales[i] = 0x3C00;
  /* Pack per python/mixgemm/pack.py: lane L=4g+t, step s, pair p=2j+r, half h hold
   * W[16s + 8r + 2t + h][8j + g]; a 4-bit code sits at bit 16h + 4p of word s. */
  memset(packed, 0, sizeof(packed));
  for (int lane = 0; lane < 32; ++lane)
    for (int s = 0; s < 4; ++s)
      for (int p = 0; p < 4; ++p)
        for (int h = 0; h < 2; ++h) {
          int g = lane / 4, t = lane % 4, j = p / 2, r = p % 2;
          int k = 16 * s + 8 * r + 2 * t + h, n = 8 * j + g;
          unsigned code = (k == n) ? 10u : 9u;
          packed[lane * 4 + s] |= code << (16 * h + 4 * p);
        }
  void *da, *dw, *ds, *dc;
  if (cudaMalloc(&da, sizeof(a)) || cudaMalloc(&dw, sizeof(packed)) ||
      cudaMalloc(&ds, sizeof(scales)) || cudaMalloc(&dc, sizeof(c)))
    return printf("cudaMalloc failed\n"), 1;
  cudaMemcpy(da, a, sizeof(a), cudaMemcpyHostToDevice);
  cudaMemcpy(dw, packed, sizeof(packed), cudaMemcpyHostToDevice);
  cudaMemcpy(ds, scales, sizeof(scales), cudaMemcpyHostToDevice);
  mixgemm_problem_t p = {M, N, K, MIXGEMM_DTYPE_F16, MIXGEMM_FORMAT_UNIFORM, 4,
                         MIXGEMM_GROUP_PER_CHANNEL, da, K, dw, ds, dc, N};
  size_t ws_bytes = 0;
  void* ws = NULL;
  mixgemm_status_t st = mixgemm_workspace_size(&p, NULL, &ws_bytes);
  if (st != MIXGEMM_STATUS_SUCCESS)
    return printf("workspace: %s (%s)\n", mixgemm_status_string(st), mixgemm_last_error()), 1;
  /* Zero-filled once; every call leaves it zeroed again. */
  if (ws_bytes && (cudaMalloc(&ws, ws_bytes) || cudaMemset(ws, 0, ws_bytes)))
    return printf("workspace allocation failed\n"), 1;
  st = mixgemm_gemm(&p, NULL, ws, ws_bytes, NULL);
  if (st != MIXGEMM_STATUS_SUCCESS)
    return printf("gemm: %s (%s)\n", mixgemm_status_string(st), mixgemm_last_error()), 1;
  cudaMemcpy(c, dc, sizeof(c), cudaMemcpyDeviceToHost);
  /* fp16 65.0 = 0x5410 */
  for (int i = 0; i < M * N; ++i)
    if (c[i] != 0x5410) return printf("C[%d] = 0x%04x, expected 0x5410\n", i, c[i]), 1;
  printf("gemm ok: C = 65 everywhere (%zu bytes of workspace)\n", ws_bytes);
  return 0;
}
#endif

int main(void) {
  int n = mixgemm_kernel_count();
  printf("%d kernels\n", n);
  for (int i = 0; i < n; ++i) {
    mixgemm_kernel_info_t info;
    if (mixgemm_kernel_info(i, &info) != MIXGEMM_STATUS_SUCCESS) return 1;
    printf("kernel %s tile %dx%dx%d\n", info.name, (int)info.tile_m, (int)info.tile_n,
           (int)info.tile_k);
  }
  /* N = 100 breaks the N % 16 rule: a status, not a crash. */
  static char buf[64] __attribute__((aligned(16)));
  mixgemm_problem_t bad = {1, 100, 64, MIXGEMM_DTYPE_F16, MIXGEMM_FORMAT_UNIFORM, 4, 64,
                           buf, 64, buf, buf, buf, 100};
  mixgemm_status_t st = mixgemm_check(&bad, NULL);
  printf("bad problem: status %d (%s): %s\n", (int)st, mixgemm_status_string(st),
         mixgemm_last_error());
  if (st != MIXGEMM_STATUS_INVALID_SHAPE) return 1;
#ifdef MIXGEMM_EXAMPLE_WITH_CUDA
  return run_small_gemm();
#else
  return 0;
#endif
}
