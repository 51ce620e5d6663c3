"""v131: the SM clock and board power while a decode GEMM streams, against cuBLAS fp16 and a
plain device copy of the same bytes. Each workload is one CUDA graph (rotated weight copies,
as mixgemm.bench times them) replayed for about 2 s while nvidia-smi samples every 50 ms.
Prints, per workload, the median per-call time and the median SM clock, memory clock and
power over the samples, and the clock-event (throttle) reasons seen."""
import statistics
import subprocess
import sys
import time

import torch

import mixgemm
from mixgemm.bench import (_clone_packed, _copies, col_blocks, l2_bytes, quantize_pack,
                           time_graph)

def query() -> str:
    """The fields to sample; older drivers call the clock-event reasons throttle reasons."""
    for reasons in ("clocks_event_reasons.active", "clocks_throttle_reasons.active"):
        q = f"clocks.sm,clocks.mem,power.draw,{reasons}"
        if subprocess.run(["nvidia-smi", f"--query-gpu={q}", "--format=csv,noheader"],
                          capture_output=True).returncode == 0:
            return q
    return "clocks.sm,clocks.mem,power.draw,pstate"


QUERY = query()


def sampled(calls, seconds=2.0):
    """(us per call, [(sm MHz, mem MHz, W, reasons)]) for `calls` replayed as one graph."""
    us = time_graph(calls, 20)
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        for c in calls:
            c()
    reps = max(1, int(seconds * 1e6 / (us * len(calls))))
    smi = subprocess.Popen(["nvidia-smi", f"--query-gpu={QUERY}", "--format=csv,noheader,nounits",
                            "-lms", "50"], stdout=subprocess.PIPE, text=True)
    time.sleep(0.3)
    start = time.time()
    for _ in range(reps):
        graph.replay()
    torch.cuda.synchronize()
    busy = time.time() - start
    smi.terminate()
    out = smi.communicate()[0].splitlines()
    samples = []
    for line in out[int(0.3 / 0.05) + 1:]:  # the samples taken while the graph ran
        parts = [x.strip() for x in line.split(",")]
        if len(parts) == 4 and parts[0].isdigit():
            samples.append((int(parts[0]), int(parts[1]), float(parts[2]), parts[3]))
    samples = samples[:max(1, int(busy / 0.05) - 1)]
    return us, samples


def report(name, us, samples):
    if not samples:
        print(f"{name:<44} {us:8.2f} us  (no samples)", flush=True)
        return
    sm = statistics.median(s[0] for s in samples)
    mem = statistics.median(s[1] for s in samples)
    watts = statistics.median(s[2] for s in samples)
    reasons = sorted({s[3] for s in samples})
    print(f"{name:<44} {us:8.2f} us  SM {sm:5.0f} MHz  mem {mem:5.0f} MHz  {watts:6.1f} W  "
          f"reasons {' '.join(reasons)}  ({len(samples)} samples)", flush=True)


def main():
    torch.manual_seed(0)
    l2 = l2_bytes()
    print(torch.cuda.get_device_name(0))
    for K, N, layer in ((8192, 57344, "70B gate_up"), (28672, 8192, "70B down")):
        w = torch.randn(K, N, device="cuda", dtype=torch.float16)
        dense = _copies(w, torch.clone, w.nbytes, l2)
        for M in (1, 16):
            a = torch.randn(M, K, device="cuda", dtype=torch.float16)
            report(f"{layer} M={M} cuBLAS fp16", *sampled([lambda w=w: torch.matmul(a, w)
                                                            for w in dense]))
        del dense, w
        torch.cuda.empty_cache()
        for bits in (4, 3):
            pw = quantize_pack((torch.randn(K, c, device="cuda") for c in col_blocks(N, K)),
                               bits, 128, torch.float16)
            copies = _copies(pw, _clone_packed, pw.data.nbytes + pw.scales.nbytes, l2)
            src = [p.data for p in copies]
            dst = torch.empty_like(src[0])
            report(f"{layer} {bits}-bit device copy of the packed bytes",
                   *sampled([lambda s=s: dst.copy_(s) for s in src]))
            for M in (1, 16):
                a = torch.randn(M, K, device="cuda", dtype=torch.float16)
                report(f"{layer} M={M} {bits}-bit mixgemm",
                       *sampled([lambda p=p: mixgemm.gemm(a, p) for p in copies]))
            del copies, pw, src, dst
            torch.cuda.empty_cache()


if __name__ == "__main__":
    sys.exit(main())
