"""Per cell: the best catalog tile against the best new tile of this step (tiles_new.txt)."""
import csv, math, os, sys
from collections import defaultdict

here = os.path.dirname(os.path.abspath(__file__))
new_tiles = open(os.path.join(here, "tiles_new.txt")).read().split()


def tile_of(kernel):  # sm80_f16_u4_g128_m16n64... -> sm80_m16n64...
    parts = kernel.split("_")
    return "_".join([parts[0]] + parts[4:])


cells = defaultdict(dict)
for path in sys.argv[1:]:
    for r in csv.DictReader(open(path)):
        if r["mixgemm_us"] and not r.get("error"):
            key = (r["dtype"], r["bits"], int(r["M"]), r["shape"])
            cells[key][tile_of(r["kernel"])] = float(r["mixgemm_us"])

ratios = defaultdict(list)
wins = defaultdict(int)
for key in sorted(cells):
    times = cells[key]
    old = min((t, k) for k, t in times.items() if k not in new_tiles)
    new = min(((t, k) for k, t in times.items() if k in new_tiles), default=None)
    if new is None:
        continue
    r = min(old[0], new[0]) / old[0]
    ratios[key[:3]].append(r)
    if new[0] < old[0]:
        wins[new[1]] += 1
    if r < 0.98:
        print(f"{key}: {old[1]} {old[0]:.2f} -> {new[1]} {new[0]:.2f} ({r:.3f})")
print("geomean best-of-all / best-catalog, per (dtype, bits, M):")
for k in sorted(ratios):
    v = ratios[k]
    print(f"  {k}: {math.exp(sum(map(math.log, v)) / len(v)):.3f} over {len(v)} shapes")
print("cells won per new tile:", dict(wins))
