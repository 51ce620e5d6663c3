// Timeline probe: where the time of one kernel of the library goes, block by block.
//
// Built by bench/timeline.py for one kernel type (-DTIMELINE_GEMM=<Gemm type>). It defines
// the schedulers' MIXGEMM_TIMELINE hook (schedulers.cuh) to record %globaltimer when thread 0
// of each block reaches each point of its schedule (start, mainloop done, partial sums
// handed off, end), and its SM. The kernel runs as the benchmark runs it: `launches` calls in
// one CUDA graph, each on its own copy of the weights and scales so that every call reads
// them from DRAM, with the timeline of the last replay kept. A plain streaming-read kernel over
// the same bytes, timed the same way, gives what a kernel that only reads them achieves.
//
// Usage: timeline K N M [replays] [csv_path]. Prints one line per launch and a summary.
#include <algorithm>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include <cuda_runtime.h>

namespace timeline {
constexpr int kMaxLaunches = 64;
constexpr int kMaxBlocks = 16384;
constexpr int kEvents = 4;  // mixgemm::kTimelineEvents
__device__ unsigned long long g_time[kMaxLaunches][kMaxBlocks][kEvents];
__device__ unsigned g_smid[kMaxLaunches][kMaxBlocks];
// Launch l writes C at c_base + l * c_stride bytes: the hook tells launches apart by C.
__constant__ const char* g_c_base;
__constant__ long long g_c_stride;

__device__ __forceinline__ void record(const void* c, int event) {
  if (threadIdx.x != 0) return;
  unsigned long long t;
  asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(t));
  const long long launch = (static_cast<const char*>(c) - g_c_base) / g_c_stride;
  if (launch < 0 || launch >= kMaxLaunches || blockIdx.x >= kMaxBlocks) return;
  g_time[launch][blockIdx.x][event] = t;
  if (event == 0) {
    unsigned sm;
    asm volatile("mov.u32 %0, %%smid;" : "=r"(sm));
    g_smid[launch][blockIdx.x] = sm;
  }
}
}  // namespace timeline

#define MIXGEMM_TIMELINE(params, event) timeline::record((params).c, (event))
#include "mixgemm/launch.cuh"

#ifndef TIMELINE_GEMM
#error "build with -DTIMELINE_GEMM=<Gemm type> -DTIMELINE_NAME=<name> (bench/timeline.py does)"
#endif
namespace mixgemm::generated {  // where the generated kernel sources spell the type
using timeline_gemm_t = TIMELINE_GEMM;
}
using Gemm = mixgemm::generated::timeline_gemm_t;
using Scalar = typename Gemm::Scalar;

// launch.cuh reports failures through the library's fail() (api.cu): print them here.
mixgemm_status_t mixgemm::fail(mixgemm_status_t status, const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  fprintf(stderr, "mixgemm: ");
  vfprintf(stderr, fmt, args);
  fprintf(stderr, "\n");
  va_end(args);
  return status;
}

#define CHECK(call)                                                                      \
  do {                                                                                   \
    cudaError_t err_ = (call);                                                           \
    if (err_ != cudaSuccess) {                                                           \
      fprintf(stderr, "%s:%d %s: %s\n", __FILE__, __LINE__, #call, cudaGetErrorString(err_)); \
      exit(1);                                                                           \
    }                                                                                    \
  } while (0)

// Fills with values that keep every product finite: the timing does not depend on them.
__global__ void fill_words(uint32_t* p, size_t n, uint32_t seed) {
  for (size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x; i < n; i += gridDim.x * blockDim.x)
    p[i] = uint32_t(i * 2654435761u) ^ seed;
}
__global__ void fill_scalar(Scalar* p, size_t n, float v) {
  for (size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x; i < n; i += gridDim.x * blockDim.x)
    p[i] = Scalar(v * float(1 + i % 7));
}

// The reference point: read `words` 16-byte chunks once, as a weight-streaming kernel would.
__global__ void stream_read(const uint4* src, size_t chunks, unsigned* sink) {
  unsigned acc = 0;
  for (size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x; i < chunks;
       i += size_t(gridDim.x) * blockDim.x) {
    const uint4 v = __ldcs(src + i);
    acc ^= v.x ^ v.y ^ v.z ^ v.w;
  }
  if (acc == 0x9e3779b9u) *sink = acc;  // keeps the loads; practically never stores
}

#if TIMELINE_COPIES
// The GEMM's own copies without its math (sm80 family, split-K or data-parallel): the same
// grid, K pieces and pipeline (kStages - 1 slices in flight, one commit group per slice),
// each slice waited for and dropped. Between the streaming read above and the GEMM: what the
// copy pattern and pipeline depth allow before any math.
__global__ void __launch_bounds__(Gemm::kBlockThreads) copies_only(mixgemm::GemmParams p) {
  extern __shared__ __align__(128) char block_smem[];
  char* smem = block_smem + Gemm::pipe() * Gemm::kSmemBytes;  // this thread's pipe's stages
  constexpr int kStages = Gemm::kStages;
  // Split-K's tile and K range of this block (data-parallel: one piece per tile).
  const mixgemm::TileGrid<Gemm> grid(p.m, p.n, p.k);
  const auto piece = mixgemm::SplitKScheduler::piece_of_block(grid);
  const int kb = piece.kb, ke = piece.ke;
  const int m0 = grid.m0(piece.tile), n0 = grid.n0(piece.tile);
  // Sm80Gemm::mainloop without compute_stage, written out here (keep the two in step): a
  // shared helper for the slice branch changed the mainloop's register allocation.
  typename Gemm::SliceSources src = Gemm::slice_sources(p, m0, n0, kb);
  const bool whole_n = n0 + Gemm::kTileN <= p.n;
  Gemm::template load_first_slices<kStages - 1>(p, smem, src, n0, kb, ke);
  for (int kt = kb; kt < ke; ++kt) {
    cute::cp_async_wait<kStages - 2>();
    Gemm::pipe_sync();
    const int next = kt + kStages - 1;
    if (next < ke) {
      char* stage = smem + ((kt - kb + kStages - 1) % kStages) * Gemm::kStageBytes;
      if (whole_n && (next + 1) * Gemm::kTileK <= p.k) {
        Gemm::template load_slice_activations<true>(p, stage, src, next);
        Gemm::template load_slice_weights<true>(p, stage, src, n0, next);
      } else {
        Gemm::template load_slice_activations<false>(p, stage, src, next);
        Gemm::template load_slice_weights<false>(p, stage, src, n0, next);
      }
    }
    cute::cp_async_fence();
  }
  cute::cp_async_wait<0>();
}

// The same copies from a weight layout with each tile's columns contiguous along K (strips of
// kTileN columns, the slices of a strip one after another): the pattern a strip-major packing
// would give, same bytes, grid, pieces and pipeline (activations and scales as above). Needs
// N % kTileN == 0 and K % kTileK == 0. Timing only: the stages hold other bytes than the
// GEMM would read.
__global__ void __launch_bounds__(Gemm::kBlockThreads) copies_strips(mixgemm::GemmParams p) {
  extern __shared__ __align__(128) char block_smem[];
  char* smem = block_smem + Gemm::pipe() * Gemm::kSmemBytes;
  constexpr int kStages = Gemm::kStages;
  constexpr int kSliceChunks = Gemm::kTileK / 64 * (Gemm::kTileN / 16) * Gemm::kUnitWords / 4;
  const mixgemm::TileGrid<Gemm> grid(p.m, p.n, p.k);
  const auto piece = mixgemm::SplitKScheduler::piece_of_block(grid);
  const int kb = piece.kb, ke = piece.ke;
  const int m0 = grid.m0(piece.tile), n0 = grid.n0(piece.tile);
  const uint4* strip = reinterpret_cast<const uint4*>(p.w) +
                       size_t(n0 / Gemm::kTileN) * (p.k / Gemm::kTileK) * kSliceChunks;
  typename Gemm::SliceSources src = Gemm::slice_sources(p, m0, n0, kb);
  auto load = [&](int kt, char* stage) {
    Gemm::template load_slice_activations<false>(p, stage, src, kt);
    const uint4* from = strip + size_t(kt) * kSliceChunks;
    Gemm::Copy::template for_each_chunk<kSliceChunks>([&](int c) {
      Gemm::Copy::copy16(stage + Gemm::kSmemA + c * 16, from + c, true, from + c);
    });
    if constexpr (Gemm::kScaleRows > 0)
      Gemm::Copy::template scales<Scalar, Gemm::kTileN, Gemm::kGroup, Gemm::kScaleRows>(
          p, stage + Gemm::kSmemA + Gemm::kSmemB, n0, kt * Gemm::kTileK, p.k - kt * Gemm::kTileK);
  };
  for (int st = 0; st < kStages - 1; ++st) {
    if (kb + st < ke) load(kb + st, smem + st * Gemm::kStageBytes);
    cute::cp_async_fence();
  }
  for (int kt = kb; kt < ke; ++kt) {
    cute::cp_async_wait<kStages - 2>();
    Gemm::pipe_sync();
    const int next = kt + kStages - 1;
    if (next < ke) load(next, smem + ((kt - kb + kStages - 1) % kStages) * Gemm::kStageBytes);
    cute::cp_async_fence();
  }
  cute::cp_async_wait<0>();
}
#endif

static float median(std::vector<float> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Median microseconds per call of a graph made of `calls` launches by `enqueue(i, stream)`.
template <class F>
static float time_graph(int calls, int replays, F&& enqueue) {
  cudaStream_t stream;
  CHECK(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
  for (int i = 0; i < calls; ++i) enqueue(i, stream);  // warm-up outside capture
  CHECK(cudaStreamSynchronize(stream));
  cudaGraph_t graph;
  cudaGraphExec_t exec;
  CHECK(cudaStreamBeginCapture(stream, cudaStreamCaptureModeThreadLocal));
  for (int i = 0; i < calls; ++i) enqueue(i, stream);
  CHECK(cudaStreamEndCapture(stream, &graph));
  CHECK(cudaGraphInstantiate(&exec, graph, 0));
  CHECK(cudaGraphLaunch(exec, stream));
  cudaEvent_t start, stop;
  CHECK(cudaEventCreate(&start));
  CHECK(cudaEventCreate(&stop));
  std::vector<float> times;
  for (int r = 0; r < replays; ++r) {
    CHECK(cudaEventRecord(start, stream));
    CHECK(cudaGraphLaunch(exec, stream));
    CHECK(cudaEventRecord(stop, stream));
    CHECK(cudaEventSynchronize(stop));
    float ms = 0;
    CHECK(cudaEventElapsedTime(&ms, start, stop));
    times.push_back(ms * 1e3f / calls);
  }
  CHECK(cudaGraphExecDestroy(exec));
  CHECK(cudaGraphDestroy(graph));
  CHECK(cudaStreamDestroy(stream));
  return median(times);
}

int main(int argc, char** argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: %s K N M [replays] [csv_path]\n", argv[0]);
    return 2;
  }
  const int K = atoi(argv[1]), N = atoi(argv[2]), M = atoi(argv[3]);
  const int replays = argc > 4 ? atoi(argv[4]) : 20;
  const char* csv_path = argc > 5 ? argv[5] : nullptr;
  constexpr int kBits = Gemm::kBits, kGroup = Gemm::kGroup;
  const size_t w_bytes = size_t(K) * N * kBits / 8;
  const size_t s_count = size_t(kGroup ? K / kGroup : 1) * N;
  const size_t per_call = w_bytes + s_count * sizeof(Scalar);
  int l2 = 0;
  CHECK(cudaDeviceGetAttribute(&l2, cudaDevAttrL2CacheSize, 0));
  // Enough distinct copies that three times L2 lies between two reads of one copy.
  const int launches = int(std::min<size_t>(timeline::kMaxLaunches,
                                            std::max<size_t>(4, 3 * size_t(l2) / per_call + 1)));

  uint32_t* w;
  Scalar *s, *a, *c;
  CHECK(cudaMalloc(&w, w_bytes * launches));
  CHECK(cudaMalloc(&s, s_count * sizeof(Scalar) * launches));
  CHECK(cudaMalloc(&a, size_t(M) * K * sizeof(Scalar)));
  CHECK(cudaMalloc(&c, size_t(M) * N * sizeof(Scalar) * launches));
  fill_words<<<1024, 256>>>(w, w_bytes / 4 * launches, 12345u);
  fill_scalar<<<1024, 256>>>(s, s_count * launches, 1e-3f);
  fill_scalar<<<1024, 256>>>(a, size_t(M) * K, 1e-2f);
  CHECK(cudaDeviceSynchronize());
  const char* c_base = reinterpret_cast<const char*>(c);
  const long long c_stride = (long long)(size_t(M) * N * sizeof(Scalar));
  CHECK(cudaMemcpyToSymbol(timeline::g_c_base, &c_base, sizeof(c_base)));
  CHECK(cudaMemcpyToSymbol(timeline::g_c_stride, &c_stride, sizeof(c_stride)));

  auto problem = [&](int i) {
    mixgemm_problem_t p = {};
    p.m = M, p.n = N, p.k = K;
    p.act_dtype = std::is_same<Scalar, __half>::value ? MIXGEMM_DTYPE_F16 : MIXGEMM_DTYPE_BF16;
    p.weight_format = MIXGEMM_FORMAT_UNIFORM;
    p.weight_bits = kBits;
    p.group_size = kGroup ? kGroup : MIXGEMM_GROUP_PER_CHANNEL;
    p.a = a, p.lda = K;
    p.weight = reinterpret_cast<const char*>(w) + w_bytes * i;
    p.scales = s + s_count * i;
    p.c = c + size_t(M) * N * i, p.ldc = N;
    return p;
  };
  mixgemm_problem_t p0 = problem(0);
  size_t ws_bytes = 0;
  if (mixgemm::kernel_workspace<Gemm>(&p0, &ws_bytes) != MIXGEMM_STATUS_SUCCESS) return 1;
  void* ws = nullptr;
  if (ws_bytes) {
    CHECK(cudaMalloc(&ws, ws_bytes));
    CHECK(cudaMemset(ws, 0, ws_bytes));
  }
  mixgemm::KernelFacts facts;
  if (mixgemm::kernel_facts<Gemm>(&facts) != MIXGEMM_STATUS_SUCCESS) return 1;
  const long long blocks =
      Gemm::Scheduler::template grid_blocks<Gemm>(M, N, K, mixgemm::grid_sizing<Gemm>(facts));
  if (blocks > timeline::kMaxBlocks) {
    fprintf(stderr, "%lld blocks: the probe records at most %d\n", blocks, timeline::kMaxBlocks);
    return 1;
  }

  const float gemm_us = time_graph(launches, replays, [&](int i, cudaStream_t st) {
    mixgemm_problem_t p = problem(i);
    if (mixgemm::kernel_launch<Gemm>(&p, ws, ws_bytes, st) != MIXGEMM_STATUS_SUCCESS) exit(1);
  });
  // The last replay's timeline (every replay overwrites the same entries).
  std::vector<unsigned long long> t(size_t(timeline::kMaxLaunches) * timeline::kMaxBlocks *
                                    timeline::kEvents);
  std::vector<unsigned> sm(size_t(timeline::kMaxLaunches) * timeline::kMaxBlocks);
  CHECK(cudaMemcpyFromSymbol(t.data(), timeline::g_time, t.size() * sizeof(t[0])));
  CHECK(cudaMemcpyFromSymbol(sm.data(), timeline::g_smid, sm.size() * sizeof(sm[0])));

  unsigned* sink;
  CHECK(cudaMalloc(&sink, sizeof(unsigned)));
  int num_sms = 0;
  CHECK(cudaDeviceGetAttribute(&num_sms, cudaDevAttrMultiProcessorCount, 0));
  const float read_us = time_graph(launches, replays, [&](int i, cudaStream_t st) {
    const uint4* src = reinterpret_cast<const uint4*>(reinterpret_cast<const char*>(w) + w_bytes * i);
    stream_read<<<num_sms * 4, 512, 0, st>>>(src, w_bytes / 16, sink);
  });

  float copies_us = 0, strips_us = 0;
#if TIMELINE_COPIES
  // One copy kernel (copies_only, copies_strips) timed like the GEMM, on the same problems.
  auto time_copies = [&](void (*kernel)(mixgemm::GemmParams)) {
    CHECK(cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize,
                               Gemm::kBlockSmemBytes));
    return time_graph(launches, replays, [&](int i, cudaStream_t st) {
      const mixgemm_problem_t pr = problem(i);
      mixgemm::GemmParams gp{M, N, K, pr.a, pr.lda, static_cast<const uint32_t*>(pr.weight),
                             pr.scales, pr.c, pr.ldc, ws, false};
      kernel<<<unsigned(blocks), Gemm::kBlockThreads, Gemm::kBlockSmemBytes, st>>>(gp);
    });
  };
  copies_us = time_copies(copies_only);
  if (N % Gemm::kTileN == 0 && K % Gemm::kTileK == 0) strips_us = time_copies(copies_strips);
#endif

  auto at = [&](int l, long long b, int e) {
    return t[(size_t(l) * timeline::kMaxBlocks + b) * timeline::kEvents + e];
  };
  FILE* csv = csv_path ? fopen(csv_path, "w") : nullptr;
  if (csv) fprintf(csv, "launch,block,sm,start_ns,mainloop_ns,handoff_ns,end_ns\n");
  printf("%s\nK=%d N=%d M=%d: %lld blocks, %d launches per graph, %d replays\n",
         TIMELINE_NAME, K, N, M, blocks, launches, replays);
  printf("times in us from the launch's first block start: launch | gap after previous launch's "
         "last block | last block start | mainloop done min/median/max | handed off max | end "
         "median/max\n");
  std::vector<float> spans, gaps, first_main, last_main, ends_med, last_start;
  for (int l = 0; l < launches; ++l) {
    unsigned long long t0 = ~0ull, t_start_max = 0, t_end = 0, t_hand = 0;
    std::vector<float> mains, ends;
    for (long long b = 0; b < blocks; ++b) {
      t0 = std::min(t0, at(l, b, 0));
      t_start_max = std::max(t_start_max, at(l, b, 0));
      t_end = std::max(t_end, at(l, b, 3));
      t_hand = std::max(t_hand, at(l, b, 2));
    }
    for (long long b = 0; b < blocks; ++b) {
      mains.push_back((at(l, b, 1) - t0) * 1e-3f);
      ends.push_back((at(l, b, 3) - t0) * 1e-3f);
      if (csv)
        fprintf(csv, "%d,%lld,%u,%llu,%llu,%llu,%llu\n", l, b,
                sm[size_t(l) * timeline::kMaxBlocks + b], at(l, b, 0) - t0, at(l, b, 1) - t0,
                at(l, b, 2) ? at(l, b, 2) - t0 : 0, at(l, b, 3) - t0);
    }
    std::sort(mains.begin(), mains.end());
    std::sort(ends.begin(), ends.end());
    float gap = 0;
    if (l > 0) {
      unsigned long long prev_end = 0;
      for (long long b = 0; b < blocks; ++b) prev_end = std::max(prev_end, at(l - 1, b, 3));
      gap = (long long)(t0 - prev_end) * 1e-3f;
      gaps.push_back(gap);
    }
    const float span = (t_end - t0) * 1e-3f;
    spans.push_back(span);
    first_main.push_back(mains.front());
    last_main.push_back(mains.back());
    ends_med.push_back(ends[ends.size() / 2]);
    last_start.push_back((t_start_max - t0) * 1e-3f);
    printf("  %2d | %6.2f | %6.2f | %6.2f %6.2f %6.2f | %6.2f | %6.2f %6.2f\n", l, gap,
           (t_start_max - t0) * 1e-3f, mains.front(), mains[mains.size() / 2], mains.back(),
           t_hand ? (t_hand - t0) * 1e-3f : 0.f, ends[ends.size() / 2], span);
  }
  if (csv) fclose(csv);
  const double gb = per_call / 1e9;
  printf("summary (medians over launches):\n");
  printf("  time per call in the graph     %7.2f us   (%.0f GB/s of weights + scales)\n", gemm_us,
         gb / (gemm_us * 1e-6));
  printf("  kernel span (first start..last end) %7.2f us\n", median(spans));
  printf("  gap between launches           %7.2f us\n", gaps.empty() ? 0.f : median(gaps));
  printf("  last block starts at           %7.2f us\n", median(last_start));
  printf("  first / last mainloop done     %7.2f / %7.2f us\n", median(first_main),
         median(last_main));
  printf("  last mainloop done .. end      %7.2f us\n", median(spans) - median(last_main));
  if (copies_us > 0)
    printf("  the kernel's copies, no math   %7.2f us per call (%.0f GB/s)\n", copies_us,
           gb / (copies_us * 1e-6));
  if (strips_us > 0)
    printf("  the same copies, strip layout  %7.2f us per call (%.0f GB/s)\n", strips_us,
           gb / (strips_us * 1e-6));
  printf("  streaming read of the weights  %7.2f us per call (%.0f GB/s)\n", read_us,
         w_bytes / 1e9 / (read_us * 1e-6));
  return 0;
}
