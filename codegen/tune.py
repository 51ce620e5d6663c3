"""Derive the heuristic's rule table from a benchmark CSV (`python -m mixgemm.bench --all-kernels`).

    python -m codegen.tune bench/results/<gpu>/bench.csv [--write]

For every measured M, each (tile, scheduler) choice is scored by the geometric mean, over all
cells (shape, dtype, bits, group) of that M, of its time over the best time of the cell; the
lowest score wins, the runner-up is kept as the fallback. Consecutive M values with the same
winner merge into one rule covering M up to the largest of them; the last rule covers all
larger M. `--write` rewrites codegen/heuristic_table.py; either way the tool prints the rules
and every cell where the chosen kernel is more than 10% slower than the best one measured.
"""

from __future__ import annotations

import argparse
import csv
import math
from collections import defaultdict
from pathlib import Path

from .config import parse_name
from .heuristic import Choice, TileRule

TABLE = Path(__file__).resolve().parent / "heuristic_table.py"
TOLERANCE = 1.10


def load(paths) -> list[dict]:
    rows = []
    for path in paths:
        with open(path, newline="") as f:
            rows += [r for r in csv.DictReader(f) if r.get("mixgemm_us") and not r.get("error")]
    return rows


def cell_key(r: dict) -> tuple:
    return (r["shape"], r["dtype"], r["bits"], r["group"], int(r["M"]))


def derive(rows: list[dict]) -> tuple[tuple[TileRule, ...], list[str]]:
    times: dict[tuple, dict[Choice, float]] = defaultdict(dict)
    for r in rows:
        choice = Choice.of(parse_name(r["kernel"]))
        times[cell_key(r)][choice] = float(r["mixgemm_us"])
    by_m: dict[int, list[dict[Choice, float]]] = defaultdict(list)
    for key, cell in times.items():
        by_m[key[-1]].append(cell)

    winners = []
    for m in sorted(by_m):
        cells = by_m[m]
        candidates = set.intersection(*(set(c) for c in cells))  # timed in every cell
        def score(choice):
            return math.exp(sum(math.log(c[choice] / min(c.values())) for c in cells) / len(cells))
        ranked = sorted(candidates, key=lambda ch: (score(ch), ch.arch, ch.tile_m, ch.tile_n,
                                                     ch.tile_k, ch.scheduler))
        # The two best, then the best of every family not among them: a GPU that cannot run
        # the winners' family (an A100 and sm90 kernels) still gets its own best.
        chosen = list(ranked[:2])
        for ch in ranked[2:]:
            if all(c.arch != ch.arch for c in chosen):
                chosen.append(ch)
        winners.append((m, tuple(chosen)))

    rules: list[TileRule] = []
    for i, (m, choices) in enumerate(winners):
        last = i == len(winners) - 1
        max_m = 2**31 - 1 if last else m
        if rules and rules[-1].choices == choices:
            rules[-1] = TileRule(max_m, choices)
        else:
            rules.append(TileRule(max_m, choices))

    report = []
    for key, cell in sorted(times.items()):
        m = key[-1]
        rule = next(r for r in rules if m <= r.max_m)
        chosen = next((cell[c] for c in rule.choices if c in cell), None)
        best = min(cell.values())
        if chosen is None or chosen > TOLERANCE * best:
            report.append(f"{key}: chosen {chosen} us, best {best:.2f} us")
    return tuple(rules), report


def render(rules, source: str) -> str:
    lines = [
        f'"""Heuristic rules (see heuristic.py), derived by `python -m codegen.tune` from',
        f"{source}. Regenerate rather than edit by hand.\"\"\"",
        "",
        "from .heuristic import Choice, TileRule",
        "",
        "RULES = (",
    ]
    for rule in rules:
        choices = ", ".join(
            f'Choice("{c.arch}", {c.tile_m}, {c.tile_n}, {c.tile_k}, "{c.scheduler}")'
            for c in rule.choices)
        max_m = "2**31 - 1" if rule.max_m == 2**31 - 1 else str(rule.max_m)
        lines.append(f"    TileRule({max_m}, ({choices},)),")
    lines.append(")")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m codegen.tune", description=__doc__.split("\n")[0])
    p.add_argument("csv", nargs="+", help="bench.csv files measured with --all-kernels")
    p.add_argument("--write", action="store_true", help=f"rewrite {TABLE.name}")
    args = p.parse_args(argv)
    rules, report = derive(load(args.csv))
    text = render(rules, ", ".join(args.csv))
    print(text)
    print(f"{len(report)} cells where the choice is more than {TOLERANCE - 1:.0%} off the best")
    for line in report:
        print("  " + line)
    if args.write:
        TABLE.write_text(text)
        print(f"wrote {TABLE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
