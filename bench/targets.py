"""Issue 3's targets, checked against a bench.csv (after `--resummarize` with the shipped table).

    python bench/targets.py bench/results/<gpu>/bench.csv

Prints one line per target with the measured value; cells that miss a per-cell target are
listed. Reads only the CSV: no GPU.
"""
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "python"))
from mixgemm.bench import read_csv  # noqa: E402


ISSUE_M = (1, 4, 16, 32, 64, 128, 256)


def geomean(xs):
    xs = list(xs)
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else float("nan")


def main(path):
    rows = [r for r in read_csv(path) if r["heuristic"] and not r["error"]]
    pick = {(r["shape"], r["dtype"], r["bits"], r["group"], r["M"]): r for r in rows}
    best = {}
    for r in read_csv(path):
        if not r["error"] and r["mixgemm_us"]:
            key = (r["shape"], r["dtype"], r["bits"], r["group"], r["M"])
            best[key] = min(best.get(key, 1e30), r["mixgemm_us"])
    # The issue's cells: M in ISSUE_M (the benchmark also measures M = 8, for the heuristic).
    f16 = {k[0::4]: r for k, r in pick.items() if k[1:4] == ("f16", 4, 128) and k[4] in ISSUE_M}
    if not f16:
        sys.exit(f"{path}: no f16 int4 g128 cells marked as the heuristic's (the targets are "
                 "defined on them; for an --all-kernels CSV, `python -m mixgemm.bench "
                 "--resummarize` marks them)")

    behind = [f"{s} M={m}: {r['speedup_vs_cublas_fp16']:.2f}x vs Marlin {r['anchor_marlin_speedup']:.2f}x"
              for (s, m), r in sorted(f16.items())
              if r["anchor_marlin_speedup"] and r["speedup_vs_cublas_fp16"] < r["anchor_marlin_speedup"]]
    print(f"1. cells at or above Marlin: {len(f16) - len(behind)}/{len(f16)}")
    for line in behind:
        print("     behind: " + line)
    small = [r for (s, m), r in f16.items() if m in (1, 4, 16)]
    print(f"2. M<=16 geomean speedup {geomean(r['speedup_vs_cublas_fp16'] for r in small):.2f}x "
          "(target 3.0x)")
    for (s, m), r in sorted(f16.items()):
        if m in (1, 4, 16) and s.startswith("llama3-70b"):
            print(f"     {s} M={m}: {r['fraction_of_roofline']:.2f} of roofline (target 0.80)")
    o = f16.get(("llama3-8b_o_proj", 1))
    if o:
        print(f"     llama3-8b_o_proj M=1: {o['fraction_of_roofline']:.2f} of roofline (target 0.50)")
    for m, target in ((64, 2.0), (128, 1.3)):
        g = geomean(r["speedup_vs_cublas_fp16"] for (s, mm), r in f16.items() if mm == m)
        print(f"3. M={m} geomean {g:.2f}x (target {target}x)")
    ratios = []
    for (s, dt, bits, group, m), r in pick.items():
        if (dt, bits, group) == ("f16", 3, 128) and m in (1, 4, 16) and s.startswith("llama3-70b"):
            four = pick.get((s, dt, 4, group, m))
            if four:
                ratios.append((s, m, four["mixgemm_us"] / r["mixgemm_us"]))
    if ratios:
        print(f"4. 3-bit over 4-bit time on 70B, M<=16: min {min(x for *_, x in ratios):.2f}x, "
              f"geomean {geomean(x for *_, x in ratios):.2f}x (target 1.2x each)")
    else:
        print("4. no f16 3- and 4-bit group-128 cells of the 70B shapes in this CSV")
    worst = max(pick[k]["mixgemm_us"] / best[k] for k in pick)
    worst_f16 = max(r["mixgemm_us"] / best[(s, "f16", 4, 128, m)] for (s, m), r in f16.items())
    print(f"5. heuristic vs best kernel: worst cell {worst_f16:.3f}x of the best in f16 int4 g128, "
          f"{worst:.3f}x in all formats of the CSV (target <= 1.10)")
    fr = [f16[(s, m)]["mixgemm_us"] / pick[(s, "bf16", 4, 128, m)]["mixgemm_us"] for (s, m) in f16
          if (s, "bf16", 4, 128, m) in pick]
    if fr:
        print(f"6. bf16 speed as a fraction of fp16: min {min(fr):.2f}, geomean {geomean(fr):.2f} "
              "(target 0.90)")


if __name__ == "__main__":
    main(sys.argv[1])
