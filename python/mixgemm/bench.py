"""Benchmark mixgemm against cuBLAS fp16 and the memory roofline: `python -m mixgemm.bench`.

Per (shape, M, dtype, bits, group): weight copies rotated so their total exceeds 4x L2 (every
call reads its weight from DRAM, as in a real decode step), all calls captured in one CUDA graph
(no launch overhead between them), median over replays, time per call. cuBLAS fp16
(`torch.matmul`) and a device-to-device copy bandwidth are measured in the same run, so speedup
and fraction of roofline are ratios between numbers from one machine at one time. The SM clock
and board power during each measurement are read from NVML (mixgemm/clocks.py). With the
default 20 replays a measurement lasts milliseconds, shorter than NVML's readings take to
refresh; many more (`--replays 5000`) time the largest layers as sustained decode sees them,
where an H200 holds them at its power cap, below the clock cuBLAS keeps (bench/NOTES.md,
session 27).

Writes <out>/bench.csv (all formats of the run in one file: dtype/bits/group are columns),
<out>/speedup.png and <out>/summary.md; prints a table last on stdout. `--resummarize CSV`
redoes the summary of an --all-kernels CSV with the current heuristic table, without a GPU.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import dataclasses
import fnmatch
import math
import os
import re
import statistics
import sys
from pathlib import Path

import torch

import mixgemm
from mixgemm.clocks import ClockSampler

DEVICE = "cuda"  # a module constant so that the CPU tests can drive run() with fakes
REPO = Path(__file__).resolve().parents[2]
# Copies of ../shared/bench/shapes.csv and ../shared/anchors/ (the GPU machine gets only the repo).
DEFAULT_SHAPES = REPO / "bench/shapes.csv"
DEFAULT_ANCHORS = REPO / "bench/anchors/h100_marlin_vs_cublas.csv"
DTYPES = {"f16": torch.float16, "bf16": torch.bfloat16}
DEFAULT_L2 = 50 * 2**20  # when the device properties do not say
COLUMNS = [
    "gpu", "shape", "K", "N", "M", "dtype", "bits", "group", "kernel", "heuristic", "pdl",
    "mixgemm_us", "cublas_fp16_us", "cublas_us", "roofline_us", "bandwidth_gbs",
    "speedup_vs_cublas_fp16", "fraction_of_roofline", "cublas_fraction_of_fp16_roofline",
    "anchor_marlin_speedup", "copies", "sm_clock_mhz", "power_w", "cublas_fp16_sm_clock_mhz",
    "error",
]


# ---------------------------------------------------------------- pure helpers (tested on CPU)

def read_shapes(path) -> list[dict]:
    """CSV `model,layer,K,N` -> [{shape: "model_layer", K, N}] in file order."""
    with open(path, newline="") as f:
        return [{"shape": f"{r['model']}_{r['layer']}", "K": int(r["K"]), "N": int(r["N"])}
                for r in csv.DictReader(f)]


def load_anchors(path) -> dict[tuple[int, int, int], float]:
    """{(K, N, M): marlin_speedup_vs_fp16}; shape names differ between files, (K, N, M) do not."""
    out = {}
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            if r.get("marlin_speedup_vs_fp16"):
                out.setdefault((int(r["K"]), int(r["N"]), int(r["M"])),
                               float(r["marlin_speedup_vs_fp16"]))
    return out


def parse_groups(text: str) -> list[int]:
    return [0 if g.strip() == "ch" else int(g) for g in text.split(",")]


def roofline_bytes(K: int, N: int, M: int, bits: int, group: int) -> int:
    """Bytes that must move: packed weights + fp16/bf16 scales + A + C (group 0 = per channel)."""
    groups = 1 if group == 0 else K // group
    return K * N * bits // 8 + groups * N * 2 + M * K * 2 + M * N * 2


def fp16_roofline_bytes(K: int, N: int, M: int) -> int:
    return K * N * 2 + M * K * 2 + M * N * 2


def geomean(values) -> float | None:
    """Geometric mean of the positive numbers in `values` (None/NaN skipped); None if none."""
    vs = [v for v in values if v is not None and not math.isnan(v) and v > 0]
    return math.exp(sum(map(math.log, vs)) / len(vs)) if vs else None


def n_copies(copy_bytes: int, l2_bytes: int, free_bytes: int, mem_fraction: float = 0.6) -> int:
    """Copies whose total exceeds 4x L2 (at least 2), capped to mem_fraction of free memory."""
    want = 4 * l2_bytes // copy_bytes + 1
    cap = int(mem_fraction * free_bytes) // copy_bytes
    return max(2, min(want, cap))


def finish_row(row: dict, bandwidth: float, anchors: dict) -> dict:
    """Add the derived columns (roofline, speedup, fractions, anchor) to a row of timings."""
    K, N, M = row["K"], row["N"], row["M"]
    row["bandwidth_gbs"] = bandwidth / 1e9
    row["roofline_us"] = roofline_bytes(K, N, M, row["bits"], row["group"]) / bandwidth * 1e6
    mix, c16 = row.get("mixgemm_us"), row.get("cublas_fp16_us")
    row["speedup_vs_cublas_fp16"] = c16 / mix if mix and c16 else None
    row["fraction_of_roofline"] = row["roofline_us"] / mix if mix else None
    row["cublas_fraction_of_fp16_roofline"] = (
        fp16_roofline_bytes(K, N, M) / bandwidth * 1e6 / c16 if c16 else None)
    row["anchor_marlin_speedup"] = anchors.get((K, N, M))
    return row


def fmt_label(dtype: str, bits: int, group: int) -> str:
    return f"{dtype} int{bits} {'ch' if group == 0 else f'g{group}'}"


def _ok(row) -> bool:
    return not row.get("error") and row.get("speedup_vs_cublas_fp16") is not None


def _median(values) -> float | None:
    vs = [v for v in values if v is not None]
    return statistics.median(vs) if vs else None


def summarize(rows: list[dict]) -> list[dict]:
    """Per (format, M): geomeans over shapes of the heuristic kernel's speedup and fraction of
    roofline, cuBLAS's fraction of the fp16 roofline, Marlin's anchor speedup, and the best
    kernel's speedup (differs from the heuristic's only with --all-kernels); medians over shapes
    of the SM clock during the heuristic kernel's and cuBLAS fp16's measurements."""
    groups: dict[tuple, list[dict]] = {}
    for r in rows:
        groups.setdefault((r["dtype"], r["bits"], r["group"], r["M"]), []).append(r)
    out = []
    for (dtype, bits, group, M), rs in sorted(groups.items()):
        heur = [r for r in rs if r["heuristic"] and _ok(r)]
        best: dict[str, float] = {}
        for r in rs:
            if _ok(r):
                best[r["shape"]] = max(best.get(r["shape"], 0.0), r["speedup_vs_cublas_fp16"])
        out.append({
            "format": fmt_label(dtype, bits, group), "M": M, "shapes": len(heur),
            "speedup": geomean(r["speedup_vs_cublas_fp16"] for r in heur),
            "fraction_of_roofline": geomean(r["fraction_of_roofline"] for r in heur),
            "cublas_fraction": geomean(r["cublas_fraction_of_fp16_roofline"] for r in heur),
            "anchor_marlin_speedup": geomean(r["anchor_marlin_speedup"] for r in heur),
            "best_speedup": geomean(best.values()),
            "sm_clock_mhz": _median(r.get("sm_clock_mhz") for r in heur),
            "cublas_sm_clock_mhz": _median(r.get("cublas_fp16_sm_clock_mhz") for r in heur),
        })
    return out


def _f(v, spec: str, width: int) -> str:
    return f"{'-' if v is None else format(v, spec):>{width}}"


def format_table(rows: list[dict], summary: list[dict]) -> str:
    """Fixed-width text: heuristic kernel per (format, shape, M), then geomeans per M."""
    lines = [f"{'format':<16}{'shape':<28}{'M':>5}{'mixgemm_us':>12}{'cublas_fp16_us':>15}"
             f"{'speedup':>9}{'roofline':>10}{'marlin':>8}"]
    for r in rows:
        if not r["heuristic"]:
            continue
        head = f"{fmt_label(r['dtype'], r['bits'], r['group']):<14}{r['shape']:<28}{r['M']:>5}"
        if r.get("error"):
            lines.append(f"{head}  error: {r['error'][:60]}")
            continue
        lines.append(head + _f(r["mixgemm_us"], ".2f", 12) + _f(r["cublas_fp16_us"], ".2f", 15)
                     + _f(r["speedup_vs_cublas_fp16"], ".2f", 9)
                     + _f(r["fraction_of_roofline"], ".2f", 10)
                     + _f(r["anchor_marlin_speedup"], ".2f", 8))
    lines += ["", "geometric means over shapes (heuristic kernel; best = best kernel timed)",
              f"{'format':<16}{'M':>5}{'shapes':>8}{'speedup':>9}{'roofline':>10}"
              f"{'cublas_roof':>12}{'marlin':>8}{'best':>8}"]
    for s in summary:
        lines.append(f"{s['format']:<16}{s['M']:>5}{s['shapes']:>8}" + _f(s["speedup"], ".2f", 9)
                     + _f(s["fraction_of_roofline"], ".2f", 10)
                     + _f(s["cublas_fraction"], ".2f", 12)
                     + _f(s["anchor_marlin_speedup"], ".2f", 8) + _f(s["best_speedup"], ".2f", 8))
    return "\n".join(lines)


def summary_md(summary: list[dict], gpu: str, bandwidth: float, pdl: bool = False) -> str:
    def x(v, spec):
        return "-" if v is None else format(v, spec)
    launch = ("on (MIXGEMM_PDL=1: each GEMM's prologue overlaps the previous GEMM in the graph; "
              "cuBLAS launches as usual)" if pdl else "off")
    lines = [f"# mixgemm benchmark: {gpu}", "",
             f"Measured copy bandwidth: {bandwidth / 1e9:.0f} GB/s (read + write). Geometric "
             "means over shapes; speedup is over cuBLAS fp16 in the same run. Programmatic "
             f"dependent launch: {launch}.", "",
             "| format | M | shapes | speedup | fraction of roofline | cuBLAS fraction of fp16 "
             "roofline | Marlin speedup (anchor) | best kernel speedup | SM clock, MHz: mixgemm "
             "/ cuBLAS |",
             "|---|---|---|---|---|---|---|---|---|"]
    for s in summary:
        lines.append(f"| {s['format']} | {s['M']} | {s['shapes']} | {x(s['speedup'], '.2f')}x | "
                     f"{x(s['fraction_of_roofline'], '.2f')} | {x(s['cublas_fraction'], '.2f')} | "
                     f"{x(s['anchor_marlin_speedup'], '.2f')} | {x(s['best_speedup'], '.2f')} | "
                     f"{x(s.get('sm_clock_mhz'), '.0f')} / "
                     f"{x(s.get('cublas_sm_clock_mhz'), '.0f')} |")
    return "\n".join(lines) + "\n"


_INT_COLUMNS = ("K", "N", "M", "bits", "group", "copies", "pdl")
_FLOAT_COLUMNS = ("mixgemm_us", "cublas_fp16_us", "cublas_us", "roofline_us", "bandwidth_gbs",
                  "speedup_vs_cublas_fp16", "fraction_of_roofline",
                  "cublas_fraction_of_fp16_roofline", "anchor_marlin_speedup", "sm_clock_mhz",
                  "power_w", "cublas_fp16_sm_clock_mhz")


def read_csv(path) -> list[dict]:
    """Rows of a bench.csv (or .csv.xz), typed as run() makes them."""
    from codegen.tune import open_csv  # the tuner's reader (torch-free)

    rows = []
    with open_csv(path) as f:
        for r in csv.DictReader(f):
            for c in _INT_COLUMNS:
                r[c] = int(r[c]) if r.get(c) else None
            for c in _FLOAT_COLUMNS:
                r[c] = float(r[c]) if r.get(c) else None
            r["heuristic"] = r.get("heuristic") == "True"
            rows.append(r)
    return rows


def mark_heuristic(rows: list[dict]) -> list[str]:
    """Set each row's `heuristic` to whether the current rule table (codegen/heuristic_table.py,
    through codegen.heuristic.choose, the Python statement of the library's dispatch) picks its
    kernel among those timed for the cell. Meant for --all-kernels CSVs after `codegen.tune`
    rewrote the table; returns the cells whose pick was not timed."""
    from codegen import heuristic
    from codegen.config import parse_name

    cells: dict[tuple, list[dict]] = {}
    for r in rows:
        cells.setdefault((r["shape"], r["dtype"], r["bits"], r["group"], r["M"]), []).append(r)
    missing = []
    for (shape, dtype, bits, group, M), rs in cells.items():
        timed = [r for r in rs if r["kernel"]]
        configs = [parse_name(r["kernel"]) for r in timed]
        pick = heuristic.choose(configs, M, rs[0]["N"], rs[0]["K"], dtype, bits, group)
        for r in rs:
            r["heuristic"] = pick is not None and r["kernel"] == pick.name
        if timed and pick is None:
            missing.append(f"{shape} {dtype} int{bits} g{group} M={M}")
    return missing


def write_results(rows: list[dict], out: Path, gpu: str, bandwidth: float) -> None:
    """bench.csv, summary.md and speedup.png in `out`; the table on stdout."""
    write_csv(rows, out / "bench.csv")
    summary = summarize(rows)
    pdl = any(r.get("pdl") for r in rows)
    (out / "summary.md").write_text(summary_md(summary, gpu, bandwidth, pdl))
    try:
        plot(rows, out / "speedup.png")
    except ImportError:
        print("matplotlib not installed: no speedup.png (pip install matplotlib)", flush=True)
    print(f"wrote {out}/bench.csv, summary.md, speedup.png\n", flush=True)
    print(format_table(rows, summary), flush=True)


def write_csv(rows: list[dict], path) -> None:
    def cell(v):
        return "" if v is None else f"{v:.6g}" if isinstance(v, float) else v
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({c: cell(r.get(c)) for c in COLUMNS})


def plot(rows: list[dict], path) -> None:
    """One subplot per shape: heuristic kernel's speedup over cuBLAS fp16 vs M, per format."""
    import matplotlib  # imported here so the module works without matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shapes = list(dict.fromkeys(r["shape"] for r in rows))
    cols = min(4, len(shapes)) or 1
    nrows = math.ceil(len(shapes) / cols) or 1
    fig, axes = plt.subplots(nrows, cols, figsize=(4 * cols, 3.2 * nrows), squeeze=False)
    for ax, shape in zip(axes.flat, shapes):
        rs = [r for r in rows if r["shape"] == shape]
        for label in dict.fromkeys(fmt_label(r["dtype"], r["bits"], r["group"]) for r in rs):
            pts = sorted((r["M"], r["speedup_vs_cublas_fp16"]) for r in rs if r["heuristic"]
                         and _ok(r) and fmt_label(r["dtype"], r["bits"], r["group"]) == label)
            if pts:
                ax.plot(*zip(*pts), marker="o", label=label)
        anchor = sorted({(r["M"], r["anchor_marlin_speedup"]) for r in rs
                         if r.get("anchor_marlin_speedup") is not None})
        if anchor:
            ax.plot(*zip(*anchor), "k--", marker=".", label="Marlin int4 g128 (anchor)")
        ax.axhline(1.0, color="gray", lw=0.8)
        ax.set_xscale("log", base=2)
        ms = sorted({r["M"] for r in rs})
        ax.set_xticks(ms, [str(m) for m in ms])
        ax.set_title(f"{shape} (K={rs[0]['K']}, N={rs[0]['N']})", fontsize=9)
        ax.set_xlabel("M")
        ax.set_ylabel("speedup vs cuBLAS fp16")
        ax.legend(fontsize=7)
    for ax in list(axes.flat)[len(shapes):]:
        ax.axis("off")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def col_blocks(N: int, K: int, max_elems: int = 2**26) -> list[int]:
    """Column block widths (multiples of 16) so that quantize/pack of a block stays small."""
    step = max(16, (max_elems // K) // 16 * 16)
    return [min(step, N - c) for c in range(0, N, step)]


def quantize_pack(blocks, bits: int, group: int, dtype: torch.dtype):
    """Quantize and pack W one column block at a time, then join: equal to packing W whole,
    because a 64 x 16 packing unit never straddles a block (widths are multiples of 16) and
    the packed layout is row = unit_k, then unit_n. Bounds pack's int64 temporaries."""
    parts = [mixgemm.pack(mixgemm.quantize(b, bits, group, scale_dtype=dtype)) for b in blocks]
    return dataclasses.replace(
        parts[0], data=torch.cat([p.data for p in parts], dim=1).contiguous(),
        scales=torch.cat([p.scales for p in parts], dim=1).contiguous(),
        n=sum(p.n for p in parts))


# ---------------------------------------------------------------- GPU only

def gpu_slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def pdl_enabled() -> bool:
    """Whether the library launches with programmatic dependent launch: MIXGEMM_PDL as the
    library reads it (launch.cuh: atoi, i.e. a leading integer, nonzero means on)."""
    lead = re.match(r"\s*[+-]?\d+", os.environ.get("MIXGEMM_PDL", ""))
    return lead is not None and int(lead.group()) != 0


def l2_bytes() -> int:
    return getattr(torch.cuda.get_device_properties(0), "L2_cache_size", 0) or DEFAULT_L2


def time_graph(calls, replays: int, clocks=None) -> float:
    """Median microseconds per call over `replays` replays of one graph running `calls` in order.
    `clocks` (a clocks.ClockSampler) reads the SM clock and power during the replays."""
    side = torch.cuda.Stream()
    side.wait_stream(torch.cuda.current_stream())
    # eager warm-up: lazy init (cuBLAS handles, workspaces, smem attributes) must not hit capture
    with torch.cuda.stream(side):
        for call in calls:
            call()
    torch.cuda.current_stream().wait_stream(side)
    torch.cuda.synchronize()
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        for call in calls:
            call()
    graph.replay()
    times = []
    with clocks if clocks is not None else contextlib.nullcontext():
        for _ in range(replays):
            start, end = (torch.cuda.Event(enable_timing=True),
                          torch.cuda.Event(enable_timing=True))
            start.record()
            graph.replay()
            end.record()
            end.synchronize()
            times.append(start.elapsed_time(end))
    del graph
    return statistics.median(times) * 1e3 / len(calls)


def measure_bandwidth(nbytes: int = 2 * 2**30, reps: int = 10) -> float:
    """Bytes/s of a large device-to-device copy, counting read + write (median of reps)."""
    nbytes = min(nbytes, int(0.3 * torch.cuda.mem_get_info()[0]))
    src = torch.empty(nbytes, dtype=torch.uint8, device=DEVICE).random_()
    dst = torch.empty_like(src)
    dst.copy_(src)
    times = []
    for _ in range(reps):
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        dst.copy_(src)
        end.record()
        end.synchronize()
        times.append(start.elapsed_time(end) / 1e3)
    del src, dst
    torch.cuda.empty_cache()
    return 2 * nbytes / statistics.median(times)


def _copies(first, clone, nbytes: int, l2: int) -> list:
    """`first` plus clones: distinct memory is what defeats L2, the values need not differ."""
    count = n_copies(nbytes, l2, torch.cuda.mem_get_info()[0])
    return [first] + [clone(first) for _ in range(count - 1)]


def _clone_packed(p):
    return dataclasses.replace(p, data=p.data.clone(), scales=p.scales.clone())


def run(args) -> list[dict]:
    torch.manual_seed(0)
    gpu = torch.cuda.get_device_name(0)
    out = Path(args.out) if args.out else REPO / "bench/results" / gpu_slug(gpu)
    out.mkdir(parents=True, exist_ok=True)
    l2, bw = l2_bytes(), measure_bandwidth()
    clocks = clock_sampler()
    pdl = int(pdl_enabled())
    print(f"{gpu}: L2 {l2 / 2**20:.0f} MiB, copy bandwidth {bw / 1e9:.0f} GB/s, programmatic "
          f"dependent launch {'on' if pdl else 'off'}", flush=True)
    anchors = load_anchors(args.anchors) if args.anchors else {}
    catalog = mixgemm.kernels()
    shapes, ms = read_shapes(args.shapes), [int(m) for m in args.m.split(",")]
    if args.quick:
        shapes, ms = shapes[:2], [1, 16, 64]
    rows = []
    for shape in shapes:
        K, N = shape["K"], shape["N"]
        dense, cublas = {}, {}  # per shape: dense weight copies and cuBLAS times, made on first use

        def cublas_us(M, dt):
            """(us per call, SM clock in MHz or None) of cuBLAS at M in dtype dt."""
            if (M, dt) not in cublas:
                if dt not in dense:
                    w = torch.randn(K, N, device=DEVICE, dtype=dt)
                    dense[dt] = _copies(w, torch.clone, w.nbytes, l2)
                a = torch.randn(M, K, device=DEVICE, dtype=dt)
                calls = [lambda w=w: torch.matmul(a, w) for w in dense[dt]]
                cublas[(M, dt)] = (time_graph(calls, args.replays, clocks), clocks.sm_mhz)
            return cublas[(M, dt)]

        for dname in args.dtype.split(","):
            dt = DTYPES[dname]
            for bits in (int(b) for b in args.bits.split(",")):
                for group in parse_groups(args.group_size):
                    base = dict(gpu=gpu, shape=shape["shape"], K=K, N=N, dtype=dname, bits=bits,
                                group=group, pdl=pdl)
                    try:  # a format that cannot be made (group does not divide K...): error rows
                        blocks = (torch.randn(K, c, device=DEVICE) for c in col_blocks(N, K))
                        pw = quantize_pack(blocks, bits, group, dt)
                        copies = _copies(pw, _clone_packed, pw.data.nbytes + pw.scales.nbytes, l2)
                    except Exception as e:
                        err = f"{type(e).__name__}: {e}"
                        rows += [finish_row(dict(base, M=M, kernel="", heuristic=True, error=err),
                                            bw, anchors) for M in ms]
                        continue
                    settle(copies, K, dt, args.replays)
                    for M in ms:
                        rows += _cell(base, M, dt, copies, catalog, cublas_us, bw, anchors, args,
                                      clocks)
                    del copies, pw
        dense.clear()
        torch.cuda.empty_cache()
        write_csv(rows, out / "bench.csv")  # so far: a run cut short keeps its finished shapes

    write_results(rows, out, gpu, bw)
    return rows


def resummarize(csv_path: str, out: Path | None) -> int:
    """Re-mark the heuristic's picks in an --all-kernels CSV with the current rule table and
    rewrite the summary and plot (no GPU: the timings are the CSV's)."""
    rows = read_csv(csv_path)
    if not rows:
        print(f"{csv_path}: no rows", file=sys.stderr)
        return 2
    missing = mark_heuristic(rows)
    for cell in missing:
        print(f"warning: the heuristic's kernel was not timed for {cell}", file=sys.stderr)
    out = out or Path(csv_path).parent
    out.mkdir(parents=True, exist_ok=True)
    write_results(rows, out, rows[0]["gpu"], rows[0]["bandwidth_gbs"] * 1e9)
    return 1 if missing else 0


def settle(copies, K: int, dt: torch.dtype, replays: int) -> None:
    """Untimed passes over freshly made weight copies. Without them the first kernel timed on
    a new weight set (the heuristic's, at the first M) ran 10-15% slower than the same kernel
    timed later on the large layers (steps/v8-v10: 70B gate_up 107 us first, 92 us next), which
    misled the tuner."""
    a = torch.randn(1, K, device=DEVICE, dtype=dt)
    time_graph([lambda w=w: mixgemm.gemm(a, w) for w in copies], replays)


def clock_sampler() -> ClockSampler:
    """Readings of the SM clock and power for device 0 (none where NVML is unavailable)."""
    return ClockSampler.for_device(torch.cuda.get_device_properties(0))


def _cell(base, M, dt, copies, catalog, cublas_us, bw, anchors, args, clocks) -> list[dict]:
    """Rows for one (shape, format, M): the heuristic's kernel, plus every matching kernel with
    --all-kernels. Any exception becomes the row's `error`, so one bad cell never ends the run."""
    K, N, bits, group = base["K"], base["N"], base["bits"], base["group"]
    rows = []
    try:
        heur = mixgemm.select_kernel(M, N, K, dt, bits, group)
    except Exception as e:  # e.g. no compiled kernel fits this problem
        heur = ""
        err = dict(base, M=M, kernel="", heuristic=True, error=f"{type(e).__name__}: {e}")
        rows.append(finish_row(err, bw, anchors))
    names = [heur] if heur else []
    if args.all_kernels:
        names += [k["name"] for k in catalog if k["act"] == base["dtype"] and k["bits"] == bits
                  and k["group"] == group and k["name"] != heur
                  and any(fnmatch.fnmatchcase(k["name"], g) for g in args.kernels.split(","))]
    for name in names:
        row = dict(base, M=M, kernel=name, heuristic=name == heur, copies=len(copies))
        try:
            a = torch.randn(M, K, device=DEVICE, dtype=dt)
            # the heuristic's row goes through kernel=None: exactly the path users get
            force = None if name == heur else name
            calls = [lambda w=w: mixgemm.gemm(a, w, force) for w in copies]
            row["mixgemm_us"] = time_graph(calls, args.replays, clocks)
            row["sm_clock_mhz"], row["power_w"] = clocks.sm_mhz, clocks.power_w
            row["cublas_fp16_us"], row["cublas_fp16_sm_clock_mhz"] = cublas_us(M, torch.float16)
            row["cublas_us"] = cublas_us(M, dt)[0]
        except Exception as e:
            row["error"] = f"{type(e).__name__}: {e}"
        rows.append(finish_row(row, bw, anchors))
        r = rows[-1]
        clock = (f", SM {r['sm_clock_mhz']:.0f} MHz (cuBLAS "
                 f"{r['cublas_fp16_sm_clock_mhz']:.0f})"
                 if r.get("sm_clock_mhz") and r.get("cublas_fp16_sm_clock_mhz") else "")
        result = (f"error {r['error']}" if r.get("error") else
                  f"{r['mixgemm_us']:.2f} us, cuBLAS {r['cublas_fp16_us']:.2f} us, "
                  f"{r['speedup_vs_cublas_fp16']:.2f}x, "
                  f"{r['fraction_of_roofline']:.2f} of roofline{clock}")
        print(f"{base['shape']} M={M} {fmt_label(base['dtype'], bits, group)} {name}: {result}",
              flush=True)
    return rows


def parse_args(argv=None):
    p = argparse.ArgumentParser(prog="python -m mixgemm.bench", description=__doc__.split("\n")[0])
    p.add_argument("--shapes", default=str(DEFAULT_SHAPES), help="CSV with header model,layer,K,N")
    p.add_argument("--m", default="1,4,8,16,32,64,128,256", help="comma list of M")
    p.add_argument("--bits", default="4", help="comma list of weight bits")
    p.add_argument("--group-size", default="128", help="comma list; ch = per channel")
    p.add_argument("--dtype", default="f16", help="comma list of f16,bf16")
    p.add_argument("--all-kernels", action="store_true",
                   help="time every compiled kernel of the format, not only the heuristic's pick")
    p.add_argument("--kernels", default="*", metavar="GLOBS",
                   help="with --all-kernels: only the kernels whose names match one of these "
                        "comma-separated globs (the heuristic's pick is always timed), e.g. "
                        "'sm90_*' with --m 32,64,128,256 for the wgmma family alone")
    p.add_argument("--quick", action="store_true", help="first 2 shapes, M in 1,16,64")
    p.add_argument("--out", default=None, help="output dir (default bench/results/<gpu slug>)")
    p.add_argument("--anchors", default=str(DEFAULT_ANCHORS) if DEFAULT_ANCHORS.exists() else None,
                   help="reference CSV matched on (K,N,M); 'none' to skip")
    p.add_argument("--replays", type=int, default=20)
    p.add_argument("--resummarize", metavar="CSV", default=None,
                   help="no GPU run: re-mark the heuristic's picks in an --all-kernels CSV with "
                        "the current rule table (after codegen.tune) and rewrite the summary "
                        "and plot (into --out, default the CSV's folder)")
    args = p.parse_args(argv)
    if args.anchors in ("", "none"):
        args.anchors = None
    for d in args.dtype.split(","):
        if d not in DTYPES:
            p.error(f"--dtype {d}: expected f16 or bf16")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.resummarize:
        return resummarize(args.resummarize, Path(args.out) if args.out else None)
    if not torch.cuda.is_available():
        print("mixgemm.bench needs a CUDA GPU", file=sys.stderr)
        return 2
    run(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
