"""Per kernel and M: time of each depth over depth 2 (geomean over the shapes), and per cell
the best kernel of each depth over depth 2's best."""
import collections
import csv
import math
import sys

sys.path.insert(0, ".")
from codegen.tune import open_csv  # noqa: E402

runs = []
for path in sys.argv[1:]:
    t = {}
    for r in csv.DictReader(open_csv(path)):
        if not r["error"]:
            t[(r["kernel"].split("_", 4)[4], r["shape"], int(r["M"]))] = float(r["mixgemm_us"])
    runs.append(t)
base = runs[0]
ratio = collections.defaultdict(lambda: [[] for _ in runs])
best = collections.defaultdict(lambda: [math.inf] * len(runs))
for (k, shape, m), t0 in base.items():
    for i, t in enumerate(runs):
        if (k, shape, m) in t:
            ratio[(k, m)][i].append(t[(k, shape, m)] / t0)
            best[(shape, m)][i] = min(best[(shape, m)][i], t[(k, shape, m)])
g = lambda xs: math.exp(sum(map(math.log, xs)) / len(xs)) if xs else float("nan")
print("kernel M: time over depth 2 (geomean of 8 shapes), depths", sys.argv[1:])
for (k, m), rs in sorted(ratio.items(), key=lambda x: (x[0][1], x[0][0])):
    print(f"{k:42s} {m:4d} " + " ".join(f"{g(r):.3f}" for r in rs))
print("best kernel per cell over depth 2's best, geomean per M")
for m in sorted({m for _, m in best}):
    cells = [v for (s, mm), v in best.items() if mm == m]
    print(m, " ".join(f"{g([c[i] / c[0] for c in cells]):.3f}" for i in range(len(runs))))
