"""v138: per cell, the heuristic's pick and the best kernel, timed short and sustained.

    python3 compare.py SHORT.csv SUSTAINED.csv

SHORT: the default 20 replays per measurement; SUSTAINED: 5000 (bench.py). Prints, per
(layer, bits, M): the heuristic's time in each run over the best kernel's in the same run (1.00:
it is the best), the best kernels, and the SM clock and power of the heuristic's sustained
measurement; then the cells where the best kernel under sustained load is not the one the
short run ranks first.
"""
import csv
import sys
from collections import defaultdict


def cells(path):
    out = defaultdict(dict)
    for r in csv.DictReader(open(path)):
        if r["mixgemm_us"] and not r["error"]:
            key = (r["shape"].removeprefix("llama3-").removesuffix("_proj"), int(r["bits"]), int(r["M"]))
            out[key][r["kernel"]] = r
    return out


def short(name):
    return name.split("_", 4)[4]


def main(short_csv, sustained_csv):
    s, l = cells(short_csv), cells(sustained_csv)
    print("| layer | bits | M | heuristic / best, short | sustained | best short | best sustained |"
          " sustained: heuristic us, MHz, W | best sustained, short-run rank |")
    print("|---|---|---|---|---|---|---|---|---|")
    for key in sorted(l):
        if key not in s:
            continue
        ratios, best = [], []
        for run in (s[key], l[key]):
            heur = next(r for r in run.values() if r["heuristic"] == "True")
            top = min(run.values(), key=lambda r: float(r["mixgemm_us"]))
            ratios.append(float(heur["mixgemm_us"]) / float(top["mixgemm_us"]))
            best.append(top["kernel"])
        h = next(r for r in l[key].values() if r["heuristic"] == "True")
        rank = sorted(s[key], key=lambda k: float(s[key][k]["mixgemm_us"])).index(best[1]) + 1 \
            if best[1] in s[key] else "-"
        print(f"| {key[0]} | {key[1]} | {key[2]} | {ratios[0]:.3f} | {ratios[1]:.3f} | "
              f"{short(best[0])} | {short(best[1])} | {float(h['mixgemm_us']):.1f}, "
              f"{h['sm_clock_mhz']}, {float(h['power_w'] or 0):.0f} | {rank} |")


if __name__ == "__main__":
    main(*sys.argv[1:3])
