"""Per (shape, dtype, bits, M): every kernel's time over the cell's best, from an --all-kernels CSV."""
import collections
import csv
import sys

sys.path.insert(0, ".")
from codegen.tune import open_csv  # noqa: E402

cells = collections.defaultdict(dict)
for r in csv.DictReader(open_csv(sys.argv[1])):
    if not r["error"]:
        cells[(r["shape"], r["dtype"], r["bits"], int(r["M"]))][r["kernel"].split("_", 4)[4]] = float(r["mixgemm_us"])
kernels = sorted({k for d in cells.values() for k in d})
for i, k in enumerate(kernels):
    print(f"k{i}: {k}")
print("shape dtype bits M " + " ".join(f"k{i:<3d}" for i in range(len(kernels))))
for (shape, dtype, bits, m), d in sorted(cells.items()):
    best = min(d.values())
    print(shape.replace("llama3-", ""), dtype, bits, m,
          " ".join(f"{d[k] / best:.2f}" if k in d else " -  " for k in kernels), f"best {best:.1f}")
