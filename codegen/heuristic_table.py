"""Heuristic rules (see heuristic.py), derived by `python -m codegen.tune` from
bench/results/nvidia-h100-80gb-hbm3/bench.csv. Regenerate rather than edit by hand."""

from .heuristic import Choice, TileRule

RULES = (
    TileRule(16, (Choice("sm80", 16, 128, 128, "streamk"), Choice("sm80", 16, 256, 128, "streamk"),)),
    TileRule(32, (Choice("sm80", 32, 128, 128, "streamk"), Choice("sm80", 16, 128, 128, "streamk"),)),
    TileRule(64, (Choice("sm80", 64, 128, 64, "streamk"), Choice("sm80", 32, 128, 128, "streamk"),)),
    TileRule(2**31 - 1, (Choice("sm80", 64, 128, 64, "streamk"), Choice("sm80", 128, 128, 64, "streamk"),)),
)
