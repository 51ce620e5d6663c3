"""Every kernel's time over the best of its cell, from one --all-kernels run (no GPU):
`python bench/cell_table.py bench.csv`.

One row per (shape, dtype, bits, M) cell, one column per kernel tile (the name without dtype,
bits and group, as bench/compare.py names it), keyed k0, k1, ... above the table: which tile
wins where, and by how much the others trail. The benchmark steps under
bench/results/steps/ print it after their runs.
"""
from __future__ import annotations

import collections
import sys
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent.parent / "python")]
from compare import tile_of  # noqa: E402
from mixgemm.bench import read_csv  # noqa: E402

cells = collections.defaultdict(dict)
for r in read_csv(sys.argv[1]):
    if not r["error"]:
        cells[(r["shape"], r["dtype"], r["bits"], r["M"])][tile_of(r["kernel"])] = r["mixgemm_us"]
tiles = sorted({t for d in cells.values() for t in d})
for i, t in enumerate(tiles):
    print(f"k{i}: {t}")
print("shape dtype bits M " + " ".join(f"k{i:<3d}" for i in range(len(tiles))))
for (shape, dtype, bits, m), d in sorted(cells.items()):
    best = min(d.values())
    print(shape.replace("llama3-", ""), dtype, bits, m,
          " ".join(f"{d[t] / best:.2f}" if t in d else " -  " for t in tiles), f"best {best:.1f}")
