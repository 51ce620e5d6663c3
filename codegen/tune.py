"""Derive the heuristic's rule table from a benchmark CSV (`python -m mixgemm.bench --all-kernels`).

    python -m codegen.tune bench/results/<gpu>/bench.csv [more runs' bench.csv ...] [--write]

Cells (shape, dtype, bits, group, M) are grouped by M and by layer class (CLASSES: bounds on
N and on N x K; how many tiles there are for the SMs decides which tiles and pipes fill the GPU
in one wave and between split-K and Stream-K, and small layers are latency-bound). In each
group every (family, tile, scheduler) choice is scored by the number of cells where it is more
than 10% slower than the best kernel, then by the geometric mean of its time over the best
time of the cell; the lowest score wins, the runner-up is kept, and so is the best
choice of every other kernel family (for GPUs that cannot run the winners' family).
Consecutive M values with the same choices merge into one rule covering M up to the largest
of them; the last covers all larger M. Given several CSVs (runs of the same kernels), a
kernel's time in a cell is the geometric mean over the runs that timed it: one run's noise
(2-4% on the decode columns) otherwise decides between near-equal kernels, and the table
changed from run to run. `--write` rewrites codegen/heuristic_table.py (rules, and the CSVs
as SOURCES); either way the tool prints the rules and every cell where the chosen kernel is
more than 10% slower than the best one measured. Only kernels of the default catalog
(codegen/catalog.py) are candidates.
"""

from __future__ import annotations

import argparse
import dataclasses
import csv
import lzma
import math
from collections import defaultdict
from pathlib import Path

from .catalog import catalog
from .config import parse_name
from .enums import Arch
from .heuristic import ANY_SIZE, Choice, TileRule

REPO = Path(__file__).resolve().parent.parent
TABLE = REPO / "codegen" / "heuristic_table.py"
TOLERANCE = 1.10
# Layer classes (max N, max N x K), smallest first: a layer is in the first class it fits,
# and the rules are listed in this order. N decides how many tiles there are for the SMs
# (Llama-3 on an H100 at decode: 4096 columns are 128 tiles of 16x32, one 8-pipe block per
# SM; 8192 are 256, two 4-pipe blocks per SM; wider layers want wider tiles); N x K separates
# the small layers, whose time is mostly fixed cost per kernel, from deep ones of the same
# width (70B o_proj, 8192 x 8192, from 70B down, 28672 deep: at M = 32 they want different
# cluster split-K tiles, bench/NOTES.md, session 18). The last class holds every layer.
CLASSES = ((4096, 2**24), (4096, ANY_SIZE), (6144, ANY_SIZE), (8192, 2**26), (8192, ANY_SIZE),
           (16384, ANY_SIZE), (32768, ANY_SIZE), (ANY_SIZE, ANY_SIZE))


def contains(outer: tuple[int, int], inner: tuple[int, int]) -> bool:
    """Whether every layer of class `inner` fits class `outer`."""
    return outer[0] >= inner[0] and outer[1] >= inner[1]


assert CLASSES[-1] == (ANY_SIZE, ANY_SIZE) and not any(
    contains(a, b) for i, a in enumerate(CLASSES) for b in CLASSES[i + 1:]), "each reachable"


def open_csv(path):
    """A benchmark CSV for reading, plain or xz-compressed (`.csv.xz`, as older step results
    are kept in bench/results/steps/). Also mixgemm.bench's reader."""
    if str(path).endswith(".xz"):
        return lzma.open(path, "rt", newline="")
    return open(path, newline="")


def load(paths) -> list[dict]:
    """The rows of benchmark CSVs, plain or xz-compressed."""
    rows = []
    for path in paths:
        with open_csv(path) as f:
            rows += [r for r in csv.DictReader(f) if r.get("mixgemm_us") and not r.get("error")]
    return rows


def _geomean(xs) -> float:
    xs = list(xs)
    return math.exp(sum(map(math.log, xs)) / len(xs))


def cell_key(r: dict) -> tuple:
    return (r["shape"], r["dtype"], r["bits"], r["group"], int(r["M"]), int(r["N"]),
            int(r["N"]) * int(r["K"]))


def layer_class(n: int, nk: int) -> tuple[int, int]:
    """The (max N, max N x K) of the rules that cover a layer of N columns and N x K weights."""
    return next(c for c in CLASSES if n <= c[0] and nk <= c[1])


def _ranked(cells: list[dict[Choice, float]]) -> tuple[Choice, ...]:
    candidates = set.intersection(*(set(c) for c in cells))  # timed in every cell

    def score(choice):  # cells more than TOLERANCE off the best first, then the geomean
        ratios = [c[choice] / min(c.values()) for c in cells]
        return (sum(r > TOLERANCE for r in ratios),
                _geomean(ratios))

    ranked = sorted(candidates, key=lambda ch: (score(ch), ch.arch, ch.tile_m, ch.tile_n,
                                                 ch.tile_k, ch.stages, ch.scheduler, ch.pipes,
                                                 ch.bulk_weights, ch.tma_activations,
                                                 ch.producer_warp))
    # The two best, then the best of every family not among them: a GPU that cannot run
    # the winners' family (an A100 and sm90 kernels) still gets its own best.
    chosen = list(ranked[:2])
    for ch in ranked[2:]:
        if all(c.arch != ch.arch for c in chosen):
            chosen.append(ch)
    return tuple(chosen)


def _rules_for(cells_by_key: dict[tuple, dict[Choice, float]], bits: int) -> list[TileRule]:
    """The rules (naming `bits`) derived from the cells of one bit width (0: all cells)."""
    groups: dict[int, dict[tuple, list[dict[Choice, float]]]] = defaultdict(
        lambda: defaultdict(list))
    for key, cell in cells_by_key.items():
        groups[key[4]][layer_class(key[5], key[6])].append(cell)

    # Per M: {class: choices}; a class with no measured shape takes the choices of the first
    # measured class that contains it (the largest measured one if none does).
    per_m = []
    for m in sorted(groups):
        measured = {cls: _ranked(cells) for cls, cells in groups[m].items()}
        by_class = {}
        for i, cls in enumerate(CLASSES):
            larger = [c for c in CLASSES[i:] if c in measured and contains(c, cls)]
            by_class[cls] = measured[larger[0] if larger else
                                     max(measured, key=CLASSES.index)]
        per_m.append((m, by_class))

    merged: list[tuple[int, dict[int, tuple[Choice, ...]]]] = []
    for i, (m, by_class) in enumerate(per_m):
        max_m = 2**31 - 1 if i == len(per_m) - 1 else m
        if merged and merged[-1][1] == by_class:
            merged[-1] = (max_m, by_class)
        else:
            merged.append((max_m, by_class))
    rules: list[TileRule] = []
    for max_m, by_class in merged:
        # From the largest class down: a class choosing what the rule after it chooses needs no
        # rule of its own when that rule's class contains it (its layers fall through to it).
        kept: list[TileRule] = []
        for cls in reversed(CLASSES):
            if (kept and by_class[cls] == kept[-1].choices
                    and contains((kept[-1].max_n, kept[-1].max_nk), cls)):
                continue
            kept.append(TileRule(max_m, by_class[cls], max_nk=cls[1], bits=bits, max_n=cls[0]))
        rules += reversed(kept)
    return rules


def catalog_choices() -> set[Choice]:
    """The choices of every kernel in the default catalog: what `make build` builds."""
    return {Choice.of(cfg) for arch in Arch for cfg in catalog(arch)}


def derive(rows: list[dict], allowed: set[Choice] | None = None,
           ) -> tuple[tuple[TileRule, ...], list[str]]:
    """Rules for each measured bit width where its cells choose differently from the most
    measured width, whose rules (naming no width) then serve every other width. With
    `allowed`, kernels of other choices are left out (a candidate step's CSV also times tiles
    that did not enter the catalog; a rule naming one would fall back to another kernel)."""
    samples: dict[tuple, dict[Choice, list[float]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        choice = Choice.of(parse_name(r["kernel"]))
        if allowed is None or choice in allowed:
            samples[cell_key(r)][choice].append(float(r["mixgemm_us"]))
    times = {key: {choice: _geomean(ts) for choice, ts in cell.items()}
             for key, cell in samples.items()}
    by_bits: dict[int, dict[tuple, dict[Choice, float]]] = defaultdict(dict)
    for key, cell in times.items():
        by_bits[int(key[2])][key] = cell
    reference = max(by_bits, key=lambda b: (len(by_bits[b]), b))
    generic = _rules_for(by_bits[reference], 0)
    rules: list[TileRule] = []
    for bits in sorted(by_bits):
        own = _rules_for(by_bits[bits], bits)
        if [dataclasses.replace(r, bits=0) for r in own] != generic:
            rules += own
    rules += generic

    report = []
    for key, cell in sorted(times.items()):
        m, n, nk, bits = key[4], key[5], key[6], int(key[2])
        rule = next(r for r in rules if r.applies(m, n, nk // n, bits))
        chosen = next((cell[c] for c in rule.choices if c in cell), None)
        best = min(cell.values())
        if chosen is None or chosen > TOLERANCE * best:
            shown = "none timed" if chosen is None else f"{chosen:.2f} us"
            report.append(f"{key[:5]}: chosen {shown}, best {best:.2f} us")
    return tuple(rules), report


def source_name(path) -> str:
    """A CSV's path as the table records it: relative to the repository when inside it."""
    path = Path(path).resolve()
    return str(path.relative_to(REPO)) if path.is_relative_to(REPO) else str(path)


def render(rules, sources) -> str:
    lines = [
        '"""Heuristic rules (see heuristic.py), derived by `python -m codegen.tune` from the',
        'benchmark CSVs in SOURCES. Regenerate rather than edit by hand."""',
        "",
        "from .heuristic import Choice, TileRule",
        "",
        "SOURCES = (",
        *(f'    "{src}",' for src in sources),
        ")",
        "",
        "RULES = (",
    ]
    for rule in rules:
        choices = ", ".join(
            f'Choice("{c.arch}", {c.tile_m}, {c.tile_n}, {c.tile_k}, {c.stages}, '
            f'"{c.scheduler}"{f", {c.pipes}" if c.pipes != 1 else ""}'
            f'{", bulk_weights=True" if c.bulk_weights else ""}'
            f'{", tma_activations=True" if c.tma_activations else ""}'
            f'{", producer_warp=True" if c.producer_warp else ""})' for c in rule.choices)
        max_m = "2**31 - 1" if rule.max_m == 2**31 - 1 else str(rule.max_m)
        bound = "" if rule.max_nk == ANY_SIZE else f", max_nk={rule.max_nk}"
        bits = f", bits={rule.bits}" if rule.bits else ""
        max_n = "" if rule.max_n == ANY_SIZE else f", max_n={rule.max_n}"
        lines.append(f"    TileRule({max_m}, ({choices},){bound}{bits}{max_n}),")
    lines.append(")")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m codegen.tune", description=__doc__.split("\n")[0])
    p.add_argument("csv", nargs="+", help="bench.csv files measured with --all-kernels")
    p.add_argument("--write", action="store_true", help=f"rewrite {TABLE.name}")
    args = p.parse_args(argv)
    rules, report = derive(load(args.csv), catalog_choices())
    text = render(rules, [source_name(c) for c in args.csv])
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
