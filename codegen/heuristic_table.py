"""Heuristic rules (see heuristic.py), derived by `python -m codegen.tune` from the
benchmark CSVs in SOURCES. Regenerate rather than edit by hand."""

from .heuristic import Choice, TileRule

SOURCES = (
    "bench/results/steps/v17-hoisted-copies-32row-splitk-run1/bench.csv",
    "bench/results/nvidia-h100-80gb-hbm3/bench.csv",
)

RULES = (
    TileRule(4, (Choice("sm80", 16, 64, 128, 4, "splitk"), Choice("sm80", 16, 128, 128, 4, "splitk"), Choice("sm90", 64, 256, 128, 4, "splitk"),), max_nk=33554432, bits=3),
    TileRule(4, (Choice("sm80", 16, 128, 128, 4, "splitk"), Choice("sm80", 16, 128, 256, 3, "splitk"), Choice("sm90", 64, 256, 128, 4, "splitk"),), max_nk=134217728, bits=3),
    TileRule(4, (Choice("sm80", 16, 128, 256, 3, "streamk"), Choice("sm80", 16, 256, 128, 4, "streamk"), Choice("sm90", 64, 256, 128, 4, "streamk"),), bits=3),
    TileRule(16, (Choice("sm80", 16, 64, 128, 4, "splitk"), Choice("sm80", 16, 128, 128, 4, "splitk"), Choice("sm90", 64, 256, 128, 4, "splitk"),), max_nk=33554432, bits=3),
    TileRule(16, (Choice("sm80", 16, 128, 128, 4, "splitk"), Choice("sm80", 16, 128, 256, 3, "streamk"), Choice("sm90", 64, 256, 128, 4, "splitk"),), max_nk=134217728, bits=3),
    TileRule(16, (Choice("sm80", 16, 128, 256, 3, "streamk"), Choice("sm80", 16, 256, 128, 4, "streamk"), Choice("sm90", 64, 256, 128, 4, "streamk"),), bits=3),
    TileRule(32, (Choice("sm80", 32, 128, 128, 4, "splitk"), Choice("sm80", 32, 128, 128, 4, "streamk"), Choice("sm90", 64, 256, 128, 4, "splitk"),), max_nk=33554432, bits=3),
    TileRule(32, (Choice("sm80", 32, 128, 128, 4, "streamk"), Choice("sm80", 32, 128, 128, 4, "splitk"), Choice("sm90", 64, 256, 128, 4, "splitk"),), max_nk=134217728, bits=3),
    TileRule(32, (Choice("sm80", 32, 128, 128, 4, "streamk"), Choice("sm80", 32, 128, 128, 4, "splitk"), Choice("sm90", 64, 256, 128, 4, "streamk"),), bits=3),
    TileRule(64, (Choice("sm90", 64, 256, 128, 4, "splitk"), Choice("sm80", 32, 128, 128, 4, "splitk"),), max_nk=33554432, bits=3),
    TileRule(64, (Choice("sm90", 64, 256, 128, 4, "splitk"), Choice("sm90", 64, 256, 128, 4, "streamk"), Choice("sm80", 64, 128, 64, 4, "streamk"),), max_nk=134217728, bits=3),
    TileRule(64, (Choice("sm90", 64, 256, 128, 4, "streamk"), Choice("sm90", 64, 256, 128, 4, "splitk"), Choice("sm80", 64, 128, 64, 4, "streamk"),), bits=3),
    TileRule(128, (Choice("sm90", 64, 256, 128, 4, "streamk"), Choice("sm90", 64, 256, 128, 4, "splitk"), Choice("sm80", 32, 128, 128, 4, "splitk"),), max_nk=33554432, bits=3),
    TileRule(128, (Choice("sm90", 64, 256, 128, 4, "streamk"), Choice("sm90", 128, 256, 64, 4, "streamk"), Choice("sm80", 64, 128, 64, 4, "streamk"),), max_nk=134217728, bits=3),
    TileRule(128, (Choice("sm90", 128, 256, 64, 4, "streamk"), Choice("sm90", 64, 256, 128, 4, "streamk"), Choice("sm80", 64, 128, 64, 4, "streamk"),), bits=3),
    TileRule(2**31 - 1, (Choice("sm90", 64, 256, 128, 4, "streamk"), Choice("sm90", 128, 256, 64, 4, "streamk"), Choice("sm80", 64, 128, 64, 4, "streamk"),), max_nk=33554432, bits=3),
    TileRule(2**31 - 1, (Choice("sm90", 128, 256, 64, 4, "streamk"), Choice("sm90", 256, 128, 64, 3, "streamk"), Choice("sm80", 64, 128, 64, 4, "streamk"),), bits=3),
    TileRule(1, (Choice("sm80", 16, 32, 128, 4, "splitk"), Choice("sm80", 16, 64, 128, 4, "splitk"), Choice("sm90", 64, 256, 128, 4, "splitk"),), max_nk=33554432),
    TileRule(1, (Choice("sm80", 16, 32, 128, 4, "splitk"), Choice("sm80", 16, 64, 128, 4, "splitk"), Choice("sm90", 64, 256, 128, 4, "streamk"),), max_nk=134217728),
    TileRule(1, (Choice("sm80", 16, 128, 128, 4, "splitk"), Choice("sm80", 16, 32, 128, 4, "splitk"), Choice("sm90", 64, 256, 128, 4, "streamk"),)),
    TileRule(16, (Choice("sm80", 16, 32, 128, 4, "splitk"), Choice("sm80", 16, 64, 128, 4, "splitk"), Choice("sm90", 64, 256, 128, 4, "splitk"),), max_nk=134217728),
    TileRule(16, (Choice("sm80", 16, 128, 128, 4, "splitk"), Choice("sm80", 16, 32, 128, 4, "splitk"), Choice("sm90", 64, 256, 128, 4, "streamk"),)),
    TileRule(32, (Choice("sm80", 16, 64, 128, 4, "splitk"), Choice("sm80", 16, 128, 256, 3, "splitk"), Choice("sm90", 64, 256, 128, 4, "splitk"),), max_nk=33554432),
    TileRule(32, (Choice("sm80", 32, 128, 128, 4, "streamk"), Choice("sm80", 32, 128, 128, 4, "splitk"), Choice("sm90", 64, 256, 128, 4, "splitk"),), max_nk=134217728),
    TileRule(32, (Choice("sm80", 32, 128, 128, 4, "streamk"), Choice("sm80", 32, 128, 128, 4, "splitk"), Choice("sm90", 64, 256, 128, 4, "streamk"),)),
    TileRule(64, (Choice("sm90", 64, 256, 128, 4, "splitk"), Choice("sm80", 32, 128, 128, 4, "splitk"),), max_nk=33554432),
    TileRule(64, (Choice("sm90", 64, 256, 128, 4, "splitk"), Choice("sm90", 64, 256, 128, 4, "streamk"), Choice("sm80", 64, 128, 64, 4, "streamk"),), max_nk=134217728),
    TileRule(64, (Choice("sm90", 64, 256, 128, 4, "streamk"), Choice("sm90", 64, 256, 128, 4, "splitk"), Choice("sm80", 64, 128, 64, 4, "streamk"),)),
    TileRule(128, (Choice("sm90", 64, 256, 128, 4, "streamk"), Choice("sm90", 64, 256, 128, 4, "splitk"), Choice("sm80", 32, 128, 128, 4, "splitk"),), max_nk=33554432),
    TileRule(128, (Choice("sm90", 64, 256, 128, 4, "streamk"), Choice("sm90", 128, 256, 64, 4, "streamk"), Choice("sm80", 64, 128, 64, 4, "streamk"),), max_nk=134217728),
    TileRule(128, (Choice("sm90", 128, 256, 64, 4, "streamk"), Choice("sm90", 64, 256, 128, 4, "streamk"), Choice("sm80", 64, 128, 64, 4, "streamk"),)),
    TileRule(2**31 - 1, (Choice("sm90", 64, 256, 128, 4, "streamk"), Choice("sm90", 64, 256, 128, 4, "splitk"), Choice("sm80", 32, 128, 128, 4, "splitk"),), max_nk=33554432),
    TileRule(2**31 - 1, (Choice("sm90", 128, 256, 64, 4, "streamk"), Choice("sm90", 256, 128, 64, 3, "streamk"), Choice("sm80", 64, 128, 64, 4, "streamk"),)),
)
