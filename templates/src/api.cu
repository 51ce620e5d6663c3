// The C ABI of libmixgemm (mixgemm.h): argument checks, kernel lookup, launch.
// Hand-written; the kernel table and the heuristic it consults are generated (dispatch.cu).
#include <algorithm>
#include <atomic>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "mixgemm/registry.cuh"

namespace mixgemm {
namespace {

thread_local char t_last_error[512] = "";

const char* dtype_name(int d) {
  return d == MIXGEMM_DTYPE_F16 ? "f16" : d == MIXGEMM_DTYPE_BF16 ? "bf16" : "unknown";
}

bool aligned16(const void* ptr) { return reinterpret_cast<uintptr_t>(ptr) % 16 == 0; }

// Everything about a problem that does not depend on the kernel.
mixgemm_status_t check_problem(const mixgemm_problem_t* p) {
  if (p == nullptr) return fail(MIXGEMM_STATUS_NULL_POINTER, "problem is NULL");
  const long long m = p->m, n = p->n, k = p->k;
  if (m < 1 || n < 1 || k < 1)
    return fail(MIXGEMM_STATUS_INVALID_SHAPE, "M=%lld N=%lld K=%lld: each must be >= 1", m, n, k);
  if (m > INT32_MAX || n > INT32_MAX || k > INT32_MAX)
    return fail(MIXGEMM_STATUS_INVALID_SHAPE, "M=%lld N=%lld K=%lld: each must be < 2^31", m, n,
                k);
  if (n % 16) return fail(MIXGEMM_STATUS_INVALID_SHAPE, "N=%lld is not a multiple of 16", n);
  if (k % 64) return fail(MIXGEMM_STATUS_INVALID_SHAPE, "K=%lld is not a multiple of 64", k);
  if (p->act_dtype != MIXGEMM_DTYPE_F16 && p->act_dtype != MIXGEMM_DTYPE_BF16)
    return fail(MIXGEMM_STATUS_UNSUPPORTED_DTYPE, "act_dtype=%d is neither f16 nor bf16",
                int(p->act_dtype));
  if (p->weight_format != MIXGEMM_FORMAT_UNIFORM)
    return fail(MIXGEMM_STATUS_UNSUPPORTED_FORMAT, "weight_format=%d is unknown",
                int(p->weight_format));
  if (p->weight_bits < 2 || p->weight_bits > 8)
    return fail(MIXGEMM_STATUS_UNSUPPORTED_FORMAT, "weight_bits=%d: uniform codes have 2..8 bits",
                int(p->weight_bits));
  const int g = p->group_size;
  if (g != MIXGEMM_GROUP_PER_CHANNEL && (g < 0 || g % 32))
    return fail(MIXGEMM_STATUS_UNSUPPORTED_FORMAT,
                "group_size=%d: must be a positive multiple of 32 or MIXGEMM_GROUP_PER_CHANNEL", g);
  if (g > 0 && k % g)
    return fail(MIXGEMM_STATUS_INVALID_SHAPE, "group_size=%d does not divide K=%lld", g, k);
  if (p->lda < k)
    return fail(MIXGEMM_STATUS_INVALID_SHAPE, "lda=%lld is less than K=%lld", (long long)p->lda, k);
  if (p->ldc < n)
    return fail(MIXGEMM_STATUS_INVALID_SHAPE, "ldc=%lld is less than N=%lld", (long long)p->ldc, n);
  if (!p->a) return fail(MIXGEMM_STATUS_NULL_POINTER, "A is NULL");
  if (!p->weight) return fail(MIXGEMM_STATUS_NULL_POINTER, "weight is NULL");
  if (!p->scales) return fail(MIXGEMM_STATUS_NULL_POINTER, "scales is NULL");
  if (!p->c) return fail(MIXGEMM_STATUS_NULL_POINTER, "C is NULL");
  if (!aligned16(p->a) || !aligned16(p->weight) || !aligned16(p->scales) || !aligned16(p->c))
    return fail(MIXGEMM_STATUS_MISALIGNED, "A, weight, scales and C must be 16-byte aligned");
  if (p->lda % 8 || p->ldc % 8)
    return fail(MIXGEMM_STATUS_MISALIGNED, "lda=%lld and ldc=%lld must be multiples of 8",
                (long long)p->lda, (long long)p->ldc);
  return MIXGEMM_STATUS_SUCCESS;
}

// Facts of the current device, queried once per device (this is on every launch's path).
struct DeviceFacts {
  int sm = 0;  // compute capability major * 10 + minor
  int smem_optin = 0;
};

cudaError_t device_facts(DeviceFacts* out) {
  struct Cached {
    std::atomic<int> sm{0};  // 0: not queried yet
    std::atomic<int> smem_optin{0};
  };
  constexpr int kMaxDevices = 64;
  static Cached cached[kMaxDevices];
  int dev = 0;
  cudaError_t err = cudaGetDevice(&dev);
  if (err != cudaSuccess) return err;
  if (dev < kMaxDevices && cached[dev].sm.load() != 0) {
    out->sm = cached[dev].sm.load();
    out->smem_optin = cached[dev].smem_optin.load();
    return cudaSuccess;
  }
  int major = 0, minor = 0;
  err = cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, dev);
  if (err == cudaSuccess) err = cudaDeviceGetAttribute(&minor, cudaDevAttrComputeCapabilityMinor, dev);
  if (err == cudaSuccess)
    err = cudaDeviceGetAttribute(&out->smem_optin, cudaDevAttrMaxSharedMemoryPerBlockOptin, dev);
  if (err != cudaSuccess) return err;
  out->sm = major * 10 + minor;
  if (dev < kMaxDevices) {
    cached[dev].smem_optin.store(out->smem_optin);
    cached[dev].sm.store(out->sm);
  }
  return cudaSuccess;
}

// Does the kernel's code exist for this SM? The sm80 family runs on sm_80 and later; the sm90
// family is built for sm_90a, whose instructions (wgmma) exist on compute capability 9.0 only.
bool arch_runs_on(const KernelEntry& e, int sm) {
  return e.info.arch == 90 ? sm == 90 : sm >= e.info.arch;
}

// Can the current device run this kernel at all?
mixgemm_status_t check_device(const KernelEntry& e) {
  DeviceFacts d;
  const cudaError_t err = device_facts(&d);
  if (err != cudaSuccess)
    return fail(MIXGEMM_STATUS_CUDA_ERROR, "querying the CUDA device: %s", cudaGetErrorString(err));
  if (!arch_runs_on(e, d.sm))
    return fail(MIXGEMM_STATUS_DEVICE_UNSUPPORTED, "%s needs sm_%d%s, the device is sm_%d",
                e.info.name, int(e.info.arch), e.info.arch == 90 ? "a" : " or later", d.sm);
  if (d.smem_optin < e.info.smem_bytes)
    return fail(MIXGEMM_STATUS_DEVICE_UNSUPPORTED,
                "%s needs %d bytes of shared memory, the device allows %d", e.info.name,
                int(e.info.smem_bytes), d.smem_optin);
  return MIXGEMM_STATUS_SUCCESS;
}

const KernelEntry* find_by_name(const char* name) {
  const KernelEntry* end = kKernels + kKernelCount;
  const KernelEntry* it = std::lower_bound(
      kKernels, end, name,
      [](const KernelEntry& e, const char* n) { return std::strcmp(e.info.name, n) < 0; });
  return (it != end && std::strcmp(it->info.name, name) == 0) ? it : nullptr;
}

// Problem check, then the named kernel (or the heuristic's), then its own checks.
mixgemm_status_t resolve(const mixgemm_problem_t* p, const char* name, const KernelEntry** out) {
  mixgemm_status_t st = check_problem(p);
  if (st != MIXGEMM_STATUS_SUCCESS) return st;
  const KernelEntry* e = nullptr;
  if (name != nullptr) {
    e = find_by_name(name);
    if (!e) return fail(MIXGEMM_STATUS_KERNEL_NOT_FOUND, "no kernel named '%s'", name);
    st = check_kernel(*e, *p);
    if (st != MIXGEMM_STATUS_SUCCESS) return st;
  } else {
    // The device is asked once here, not per candidate kernel. Without a usable device (e.g.
    // asking the heuristic on a machine with no GPU) any family may be chosen and the launch
    // reports the error.
    DeviceFacts d;
    e = heuristic_select(*p, device_facts(&d) == cudaSuccess ? d.sm : 0);
    if (!e)
      return fail(MIXGEMM_STATUS_NO_KERNEL,
                  "no kernel for act=%s bits=%d group_size=%d M=%lld N=%lld K=%lld",
                  dtype_name(p->act_dtype), int(p->weight_bits), int(p->group_size),
                  (long long)p->m, (long long)p->n, (long long)p->k);
  }
  *out = e;
  return MIXGEMM_STATUS_SUCCESS;
}

}  // namespace

mixgemm_status_t fail(mixgemm_status_t status, const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(t_last_error, sizeof(t_last_error), fmt, args);
  va_end(args);
  return status;
}

mixgemm_status_t check_kernel(const KernelEntry& e, const mixgemm_problem_t& p) {
  const mixgemm_kernel_info_t& k = e.info;
  if (k.act_dtype != p.act_dtype)
    return fail(MIXGEMM_STATUS_KERNEL_MISMATCH, "%s takes %s activations, the problem has %s",
                k.name, dtype_name(k.act_dtype), dtype_name(p.act_dtype));
  if (k.weight_format != p.weight_format || k.weight_bits != p.weight_bits)
    return fail(MIXGEMM_STATUS_KERNEL_MISMATCH, "%s takes %d-bit weights, the problem has %d-bit",
                k.name, int(k.weight_bits), int(p.weight_bits));
  if (k.group_size != p.group_size)
    return fail(MIXGEMM_STATUS_KERNEL_MISMATCH, "%s takes group_size=%d, the problem has %d",
                k.name, int(k.group_size), int(p.group_size));
  return MIXGEMM_STATUS_SUCCESS;
}

bool can_run(const KernelEntry& e, const mixgemm_problem_t& p, int sm) {
  return check_kernel(e, p) == MIXGEMM_STATUS_SUCCESS && (sm == 0 || arch_runs_on(e, sm));
}

const KernelEntry* find_kernel(const mixgemm_problem_t& p, int sm, int arch, int tile_m,
                               int tile_n, int tile_k, int stages, const char* scheduler,
                               int pipes, int bulk_weights, int tma_activations,
                               int producer_warp) {
  for (int i = 0; i < kKernelCount; ++i) {
    const KernelEntry& e = kKernels[i];
    if (e.info.arch == arch && e.info.tile_m == tile_m && e.info.tile_n == tile_n &&
        e.info.tile_k == tile_k && e.info.stages == stages &&
        std::strcmp(e.info.scheduler, scheduler) == 0 && e.info.pipes == pipes &&
        e.info.bulk_weights == bulk_weights && e.info.tma_activations == tma_activations &&
        e.info.producer_warp == producer_warp &&
        can_run(e, p, sm))
      return &e;
  }
  return nullptr;
}

}  // namespace mixgemm

using namespace mixgemm;

extern "C" {

const char* mixgemm_last_error(void) { return t_last_error; }

int32_t mixgemm_kernel_count(void) { return kKernelCount; }

mixgemm_status_t mixgemm_kernel_info(int32_t index, mixgemm_kernel_info_t* info) {
  if (info == nullptr) return fail(MIXGEMM_STATUS_NULL_POINTER, "info is NULL");
  if (index < 0 || index >= kKernelCount)
    return fail(MIXGEMM_STATUS_KERNEL_NOT_FOUND, "kernel index %d not in [0, %d)", int(index),
                int(kKernelCount));
  *info = kKernels[index].info;
  return MIXGEMM_STATUS_SUCCESS;
}

mixgemm_status_t mixgemm_select_kernel(const mixgemm_problem_t* problem, const char** name) {
  if (name == nullptr) return fail(MIXGEMM_STATUS_NULL_POINTER, "name is NULL");
  const KernelEntry* e = nullptr;
  const mixgemm_status_t st = resolve(problem, nullptr, &e);
  if (st == MIXGEMM_STATUS_SUCCESS) *name = e->info.name;
  return st;
}

mixgemm_status_t mixgemm_check(const mixgemm_problem_t* problem, const char* kernel) {
  const KernelEntry* e = nullptr;
  return resolve(problem, kernel, &e);
}

mixgemm_status_t mixgemm_workspace_size(const mixgemm_problem_t* problem, const char* kernel,
                                        size_t* bytes) {
  if (bytes == nullptr) return fail(MIXGEMM_STATUS_NULL_POINTER, "bytes is NULL");
  const KernelEntry* e = nullptr;
  mixgemm_status_t st = resolve(problem, kernel, &e);
  if (st == MIXGEMM_STATUS_SUCCESS) st = e->workspace(problem, bytes);
  return st;
}

mixgemm_status_t mixgemm_gemm(const mixgemm_problem_t* problem, const char* kernel,
                              void* workspace, size_t workspace_bytes, mixgemm_stream_t stream) {
  const KernelEntry* e = nullptr;
  mixgemm_status_t st = resolve(problem, kernel, &e);
  if (st != MIXGEMM_STATUS_SUCCESS) return st;
  st = check_device(*e);
  if (st != MIXGEMM_STATUS_SUCCESS) return st;
  return e->launch(problem, workspace, workspace_bytes, reinterpret_cast<cudaStream_t>(stream));
}

}  // extern "C"
