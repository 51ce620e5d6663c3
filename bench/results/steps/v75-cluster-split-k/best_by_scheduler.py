"""Per cell (shape, bits, M) of an --all-kernels CSV: the best clusterk kernel against the best
other kernel of the same run, and the geomean of that ratio per M.

    python3 best_by_scheduler.py bench.csv
"""

import csv
import math
import sys
from collections import defaultdict

rows = [r for r in csv.DictReader(open(sys.argv[1])) if not r["error"]]
best = defaultdict(dict)  # cell -> {"clusterk" | "other": (us, kernel)}
for r in rows:
    cell = (r["shape"], int(r["bits"]), int(r["M"]))
    kind = "clusterk" if r["kernel"].endswith("_clusterk") else "other"
    us = float(r["mixgemm_us"])
    if kind not in best[cell] or us < best[cell][kind][0]:
        best[cell][kind] = (us, r["kernel"])
by_m = defaultdict(list)
print(f"{'shape':24} bits    M   other_us  clusterk_us  ratio  clusterk kernel")
for cell in sorted(best):
    b = best[cell]
    if len(b) < 2:
        continue
    ratio = b["other"][0] / b["clusterk"][0]
    by_m[(cell[1], cell[2])].append(ratio)
    print(f"{cell[0]:24} {cell[1]:4} {cell[2]:4} {b['other'][0]:9.2f} {b['clusterk'][0]:11.2f}"
          f" {ratio:6.3f}  {b['clusterk'][1]}")
print("speedup of the best clusterk kernel over the best other (geomean over shapes):")
for key in sorted(by_m):
    v = by_m[key]
    print(f"  bits={key[0]} M={key[1]:4}: {math.exp(sum(map(math.log, v)) / len(v)):.3f}"
          f" (min {min(v):.3f}, max {max(v):.3f})")
