"""Per cell of benchmark CSVs, the best of some new tiles against the best of the others:
    python bench/best_new_tiles.py TILES_NEW.txt bench.csv [more CSVs]
TILES_NEW.txt lists tile names as bench/build_subset.sh takes them (sm80_m16n64k256_s2_p4_splitk).
Prints the cells where a new tile is more than 2% faster, the geomean of best-of-all over
best-of-the-others per (dtype, bits, M), and how many cells each new tile won."""
import csv
import math
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from compare import tile_of  # noqa: E402


def main(new_list: str, paths: list[str]) -> None:
    new_tiles = set(open(new_list).read().split())
    cells = defaultdict(dict)
    for path in paths:
        for r in csv.DictReader(open(path)):
            if r["mixgemm_us"] and not r.get("error"):
                key = (r["dtype"], r["bits"], int(r["M"]), r["shape"])
                cells[key][tile_of(r["kernel"])] = float(r["mixgemm_us"])
    ratios, wins = defaultdict(list), defaultdict(int)
    for key in sorted(cells):
        times = cells[key]
        old = min(((t, k) for k, t in times.items() if k not in new_tiles), default=None)
        new = min(((t, k) for k, t in times.items() if k in new_tiles), default=None)
        if old is None or new is None:  # nothing to compare in this cell
            continue
        r = min(old[0], new[0]) / old[0]
        ratios[key[:3]].append(r)
        if new[0] < old[0]:
            wins[new[1]] += 1
        if r < 0.98:
            print(f"{key}: {old[1]} {old[0]:.2f} -> {new[1]} {new[0]:.2f} ({r:.3f})")
    print("geomean best-of-all / best-of-the-others, per (dtype, bits, M):")
    for k in sorted(ratios):
        v = ratios[k]
        print(f"  {k}: {math.exp(sum(map(math.log, v)) / len(v)):.3f} over {len(v)} shapes")
    print("cells won per new tile:", dict(wins))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
