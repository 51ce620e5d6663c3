"""Run one mixgemm problem a few times, for a profiler (bench/profile.sh drives it under ncu).

    python bench/profile_one.py K N M [kernel] [--dtype f16] [--bits 4] [--group 128] [--calls 4]
    python bench/profile_one.py K N M --cublas [--dtype f16]

Random weights, quantized and packed as the benchmark does. The profiler picks the last call
(--launch-skip calls-1): earlier calls warm up lazy initialisation. The last call also runs in
an NVTX range named "profiled" (ncu --nvtx --nvtx-include "profiled/"), which catches it
whatever its kernels are called. With --cublas the calls are torch.matmul on dense weights of
the activation dtype, the benchmark's cuBLAS baseline.
"""
import argparse

import torch

import mixgemm
from mixgemm.bench import col_blocks, quantize_pack

p = argparse.ArgumentParser()
p.add_argument("K", type=int)
p.add_argument("N", type=int)
p.add_argument("M", type=int)
p.add_argument("kernel", nargs="?", default=None)
p.add_argument("--dtype", default="f16")
p.add_argument("--bits", type=int, default=4)
p.add_argument("--group", type=int, default=128)
p.add_argument("--calls", type=int, default=4)
p.add_argument("--cublas", action="store_true", help="time torch.matmul on dense weights instead")
a = p.parse_args()
dt = {"f16": torch.float16, "bf16": torch.bfloat16}[a.dtype]
torch.manual_seed(0)
x = torch.randn(a.M, a.K, device="cuda", dtype=dt)
if a.cublas:
    w = torch.randn(a.K, a.N, device="cuda", dtype=dt)
    call = lambda: torch.matmul(x, w)  # noqa: E731
    name = "cuBLAS (torch.matmul)"
else:
    blocks = [torch.randn(a.K, c, device="cuda", dtype=dt) for c in col_blocks(a.N, a.K)]
    pw = quantize_pack(blocks, a.bits, a.group, dt)
    del blocks
    call = lambda: mixgemm.gemm(x, pw, a.kernel)  # noqa: E731
    name = a.kernel or mixgemm.select_kernel(a.M, a.N, a.K, dt, a.bits, a.group)
for _ in range(a.calls - 1):
    call()
torch.cuda.synchronize()
torch.cuda.nvtx.range_push("profiled")
call()
torch.cuda.nvtx.range_pop()
torch.cuda.synchronize()
print("kernel:", name)
