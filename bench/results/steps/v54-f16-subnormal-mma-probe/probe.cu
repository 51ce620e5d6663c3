// Does mma.sync m16n8k16 (f16 inputs, f32 accumulators) multiply fp16 subnormal inputs
// exactly? A 4-bit code q, masked into the low bits of an fp16 half (one LOP3, no magic-number
// subtraction), reads as q * 2^-24. If the tensor core keeps subnormals, the unpack of the
// decode kernels could drop its HADD2/HFMA2 and fold 2^24 and the zero point into the fp32
// group scaling. Prints the worst relative error against a double-precision product.
#include <cstdio>
#include <cstdint>
#include <cmath>
#include <cuda_fp16.h>

__global__ void mma_probe(const uint16_t* a, const uint16_t* b, float* d) {
  // One warp, one m16n8k16: A row-major 16x16, B "col" 16x8 (k-major per column), D 16x8.
  const int lane = threadIdx.x, g = lane / 4, t = lane % 4;
  auto pack = [](uint16_t lo, uint16_t hi) { return uint32_t(lo) | (uint32_t(hi) << 16); };
  uint32_t a0 = pack(a[g * 16 + 2 * t], a[g * 16 + 2 * t + 1]);
  uint32_t a1 = pack(a[(g + 8) * 16 + 2 * t], a[(g + 8) * 16 + 2 * t + 1]);
  uint32_t a2 = pack(a[g * 16 + 2 * t + 8], a[g * 16 + 2 * t + 9]);
  uint32_t a3 = pack(a[(g + 8) * 16 + 2 * t + 8], a[(g + 8) * 16 + 2 * t + 9]);
  uint32_t b0 = pack(b[g * 16 + 2 * t], b[g * 16 + 2 * t + 1]);  // column g, k 2t..2t+1
  uint32_t b1 = pack(b[g * 16 + 2 * t + 8], b[g * 16 + 2 * t + 9]);
  float c0 = 0, c1 = 0, c2 = 0, c3 = 0;
  asm volatile(
      "mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, "
      "{%8,%9}, {%0,%1,%2,%3};\n"
      : "+f"(c0), "+f"(c1), "+f"(c2), "+f"(c3)
      : "r"(a0), "r"(a1), "r"(a2), "r"(a3), "r"(b0), "r"(b1));
  d[g * 8 + 2 * t] = c0, d[g * 8 + 2 * t + 1] = c1;
  d[(g + 8) * 8 + 2 * t] = c2, d[(g + 8) * 8 + 2 * t + 1] = c3;
}

int main() {
  uint16_t ha[256], hb[128];
  double ea[256], eb[128];
  unsigned seed = 12345;
  auto rnd = [&]() { seed = seed * 1664525u + 1013904223u; return seed >> 8; };
  for (int i = 0; i < 256; ++i) {  // codes 0..15 as subnormals (q * 2^-24); code bits only
    int q = rnd() % 16;
    ha[i] = uint16_t(q);
    ea[i] = q * std::ldexp(1.0, -24);
  }
  for (int i = 0; i < 128; ++i) {  // activations: normal fp16 in [-4, 4], some tiny ones
    float v = (int(rnd() % 2001) - 1000) / 250.0f;
    if (i % 16 == 3) v = 6.1e-5f;  // near fp16's smallest normal
    __half h = __float2half(v);
    hb[i] = *reinterpret_cast<uint16_t*>(&h);
    eb[i] = double(__half2float(h));
  }
  uint16_t *da, *db; float* dd;
  cudaMalloc(&da, sizeof ha); cudaMalloc(&db, sizeof hb); cudaMalloc(&dd, 128 * sizeof(float));
  cudaMemcpy(da, ha, sizeof ha, cudaMemcpyHostToDevice);
  cudaMemcpy(db, hb, sizeof hb, cudaMemcpyHostToDevice);
  mma_probe<<<1, 32>>>(da, db, dd);
  float hd[128];
  cudaError_t err = cudaMemcpy(hd, dd, sizeof hd, cudaMemcpyDeviceToHost);
  if (err != cudaSuccess) { printf("CUDA error: %s\n", cudaGetErrorString(err)); return 1; }
  double worst = 0, worst_abs = 0; int zeros = 0;
  for (int m = 0; m < 16; ++m)
    for (int n = 0; n < 8; ++n) {
      double ref = 0;
      for (int k = 0; k < 16; ++k) ref += ea[m * 16 + k] * eb[n * 16 + k];
      double got = hd[m * 8 + n];
      if (got == 0 && ref != 0) ++zeros;
      double scale = 0;
      for (int k = 0; k < 16; ++k) scale += std::fabs(ea[m * 16 + k] * eb[n * 16 + k]);
      if (scale > 0) worst = std::fmax(worst, std::fabs(got - ref) / scale);
      worst_abs = std::fmax(worst_abs, std::fabs(got - ref));
    }
  printf("subnormal A x normal B, f32 accumulate: worst error / sum|products| = %.3g, "
         "worst abs = %.3g, outputs flushed to zero = %d of 128\n", worst, worst_abs, zeros);
  printf("%s\n", worst < 1e-6 && zeros == 0 ? "SUBNORMALS KEPT" : "SUBNORMALS NOT KEPT");
  return 0;
}
