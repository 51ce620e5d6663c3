"""Heuristic rules (see heuristic.py). Hand-written first guess: the smallest M tile that
covers the batch, Stream-K so that every SM streams weights whatever the tile count."""

from .heuristic import Choice, TileRule

RULES = (
    TileRule(16, (Choice(16, 128, 128, "streamk"),)),
    TileRule(32, (Choice(32, 128, 128, "streamk"), Choice(16, 128, 128, "streamk"))),
    TileRule(64, (Choice(64, 128, 64, "streamk"),)),
    TileRule(2**31 - 1, (Choice(128, 128, 64, "streamk"), Choice(128, 128, 64, "dp"))),
)
