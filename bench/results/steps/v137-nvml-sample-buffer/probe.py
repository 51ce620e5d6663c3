"""v137: what NVML's sample buffer (nvmlDeviceGetSamples) holds, against polling
nvmlDeviceGetClockInfo: the spacing of its clock and power samples, its timestamps against
time.time(), and what it reads while a GEMM graph replays for 3, 30 and 1000 ms."""
import ctypes, time, statistics, sys
import torch

lib = ctypes.CDLL("libnvidia-ml.so.1")
assert lib.nvmlInit_v2() == 0
h = ctypes.c_void_p()
assert lib.nvmlDeviceGetHandleByIndex_v2(0, ctypes.byref(h)) == 0


class Sample(ctypes.Structure):
    _fields_ = [("ts", ctypes.c_ulonglong), ("v", ctypes.c_ulonglong)]  # union of 8 bytes


def samples(kind, since=0):
    vt, n = ctypes.c_int(), ctypes.c_uint(0)
    r = lib.nvmlDeviceGetSamples(h, kind, ctypes.c_ulonglong(since), ctypes.byref(vt),
                                 ctypes.byref(n), None)
    if r != 0:
        return r, []
    buf = (Sample * max(n.value, 1))()
    r = lib.nvmlDeviceGetSamples(h, kind, ctypes.c_ulonglong(since), ctypes.byref(vt),
                                 ctypes.byref(n), buf)
    # unsigned int values live in the union's first 4 bytes
    return r, [(buf[i].ts, buf[i].v & 0xffffffff) for i in range(n.value)] if r == 0 else []


def clock_now():
    v = ctypes.c_uint()
    lib.nvmlDeviceGetClockInfo(h, 1, ctypes.byref(v))
    return v.value


POWER, CLK = 0, 5
for kind, name in ((POWER, "power"), (CLK, "sm clock")):
    r, s = samples(kind)
    print(f"{name}: rc {r}, {len(s)} samples in the buffer")
    if len(s) > 2:
        gaps = [b[0] - a[0] for a, b in zip(s, s[1:])]
        print(f"  spacing us: median {statistics.median(gaps)}, min {min(gaps)}, max {max(gaps)};"
              f" newest ts {s[-1][0]} vs time.time() {int(time.time() * 1e6)}")
        print(f"  last values: {[v for _, v in s[-8:]]}")

# a GEMM-sized workload: fp16 matmul of 70B gate_up at M = 16
a = torch.randn(16, 8192, device="cuda", dtype=torch.half)
w = torch.randn(8192, 57344, device="cuda", dtype=torch.half)
g = torch.cuda.CUDAGraph()
s_ = torch.cuda.Stream()
with torch.cuda.stream(s_):
    torch.matmul(a, w)
torch.cuda.synchronize()
with torch.cuda.graph(g):
    for _ in range(10):
        torch.matmul(a, w)
g.replay(); torch.cuda.synchronize()
t0 = time.perf_counter(); g.replay(); torch.cuda.synchronize()
per = time.perf_counter() - t0
print(f"one replay: {per * 1e3:.2f} ms")
for window_ms in (3, 30, 1000, 3, 30):
    time.sleep(0.5)
    _, before = samples(CLK); last_c = before[-1][0] if before else 0
    _, pb = samples(POWER); last_p = pb[-1][0] if pb else 0
    polls = []
    start = time.time() * 1e6
    n = max(1, int(window_ms / 1e3 / per))
    for _ in range(n):
        g.replay()
        polls.append(clock_now())
    torch.cuda.synchronize()
    end = time.time() * 1e6
    time.sleep(0.2)
    _, c = samples(CLK, last_c)
    _, p = samples(POWER, last_p)
    inside = [v for t, v in c if start <= t <= end]
    pin = [v for t, v in p if start <= t <= end]
    print(f"window {window_ms} ms ({(end - start) / 1e3:.1f} ms): clock samples after start "
          f"{len(c)}, inside {len(inside)} {inside[:12]}; polled {sorted(set(polls))}; "
          f"power samples inside {len(pin)} {[x / 1000 for x in pin[:8]]}")
