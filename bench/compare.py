"""Compare two benchmark runs kernel by kernel (no GPU): `python bench/compare.py A.csv B.csv`.

For every kernel timed in both runs on the same (shape, dtype, bits, group, M), the ratio of
B's time to A's; printed as geometric means per kernel tile (the name without dtype, bits and
group) and bit width over the M values in --m, and the same for cuBLAS fp16, so that a change
in the GPU or the library around the kernels (cuBLAS moving too) is told apart from a change
in the kernels; then, per M and bit width, the best kernel of B over the best of A in each
cell (what the change gives the library), with the median SM clock those best kernels ran at
in each run (where the runs recorded it: under sustained load an H200's power cap moves the
clock as well as the work; for default-length measurements the readings are NVML snapshots,
see python/mixgemm/clocks.py). Ratios below 1 mean B is faster.
"""
from __future__ import annotations

import argparse
import math
import statistics
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "python"))
from mixgemm.bench import geomean, read_csv  # noqa: E402


def tile_of(kernel: str) -> str:
    """sm80_f16_u4_g128_m16n128k128_s4_splitk -> sm80_m16n128k128_s4_splitk."""
    family, _act, _fmt, _group, rest = kernel.split("_", 4)
    return f"{family}_{rest}"


def timed(rows: list[dict], ms: set[int]) -> dict[tuple, dict]:
    """{(shape, dtype, bits, group, M, kernel): row} for the rows of a run timed at M in ms."""
    return {(r["shape"], r["dtype"], r["bits"], r["group"], r["M"], r["kernel"]): r
            for r in rows if not r["error"] and r["mixgemm_us"] and r["M"] in ms}


def ratios(a_rows: list[dict], b_rows: list[dict], ms: set[int]) -> dict[tuple, list[float]]:
    """{(tile, bits): [B / A per cell]} plus {("cuBLAS fp16", 0): [...]} over cells in ms."""
    a, b = timed(a_rows, ms), timed(b_rows, ms)
    out: dict[tuple, list[float]] = defaultdict(list)
    cublas = {}
    for key in sorted(a.keys() & b.keys()):
        out[(tile_of(key[5]), key[2])].append(b[key]["mixgemm_us"] / a[key]["mixgemm_us"])
        if a[key]["cublas_fp16_us"] and b[key]["cublas_fp16_us"]:
            cublas[key[:5]] = b[key]["cublas_fp16_us"] / a[key]["cublas_fp16_us"]
    if cublas:
        out[("cuBLAS fp16", 0)] = list(cublas.values())
    return dict(out)


def best_ratios(a_rows: list[dict], b_rows: list[dict], ms: set[int]) -> dict[tuple, list[float]]:
    """{(bits, M): [B's best time / A's best time per cell]}: the fastest kernel of each run in
    every (shape, dtype, bits, group, M) cell that both timed, whichever kernel that is. What
    a change gives the library, where the per-tile ratios say which kernels it moved."""
    def best(rows):
        out: dict[tuple, float] = {}
        for key, r in timed(rows, ms).items():
            out[key[:5]] = min(out.get(key[:5], float("inf")), r["mixgemm_us"])
        return out

    a, b = best(a_rows), best(b_rows)
    out: dict[tuple, list[float]] = defaultdict(list)
    for key in sorted(a.keys() & b.keys()):
        out[(key[2], key[4])].append(b[key] / a[key])
    return dict(out)


def best_clocks(rows: list[dict], ms: set[int]) -> dict[tuple, float]:
    """{(bits, M): median over cells of the SM clock (MHz) of each cell's fastest kernel}; an
    (bits, M) whose rows recorded no clock is left out."""
    best: dict[tuple, dict] = {}
    for key, r in timed(rows, ms).items():
        if key[:5] not in best or r["mixgemm_us"] < best[key[:5]]["mixgemm_us"]:
            best[key[:5]] = r
    clocks: dict[tuple, list[float]] = defaultdict(list)
    for key, r in best.items():
        if r.get("sm_clock_mhz"):
            clocks[(key[2], key[4])].append(r["sm_clock_mhz"])
    return {k: statistics.median(v) for k, v in clocks.items()}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("a", help="bench.csv of the first run")
    p.add_argument("b", help="bench.csv of the second run")
    p.add_argument("--m", default="1,4,16,32,64,128,256", help="comma list of M to include")
    args = p.parse_args(argv)
    ms = {int(m) for m in args.m.split(",")}
    a_rows, b_rows = read_csv(args.a), read_csv(args.b)
    table = ratios(a_rows, b_rows, ms)
    if not table:
        print("no kernel timed in both runs", file=sys.stderr)
        return 1
    print(f"{'kernel tile':<36}{'bits':>5}{'cells':>7}{'B/A':>8}{'min':>7}{'max':>7}")
    cublas_last = sorted(table.items(), key=lambda kv: (kv[0][0] == "cuBLAS fp16", kv[0]))
    for (tile, bits), rs in cublas_last:
        print(f"{tile:<36}{bits or '':>5}{len(rs):>7}{geomean(rs):>8.3f}{min(rs):>7.2f}"
              f"{max(rs):>7.2f}")
    print(f"\n{'best kernel per cell':<31}{'M':>5}{'bits':>5}{'cells':>7}{'B/A':>8}{'min':>7}"
          f"{'max':>7}{'MHz A':>7}{'MHz B':>7}")
    clock_a, clock_b = best_clocks(a_rows, ms), best_clocks(b_rows, ms)

    def mhz(v):
        return f"{'-' if v is None else format(v, '.0f'):>7}"
    for (bits, m), rs in sorted(best_ratios(a_rows, b_rows, ms).items(),
                                key=lambda kv: (kv[0][1], kv[0][0])):
        print(f"{'':<31}{m:>5}{bits:>5}{len(rs):>7}{geomean(rs):>8.3f}{min(rs):>7.2f}"
              f"{max(rs):>7.2f}{mhz(clock_a.get((bits, m)))}{mhz(clock_b.get((bits, m)))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
