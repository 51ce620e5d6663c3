"""Print every tile the committed heuristic table names, as bench/build_subset.sh takes them
(family and tile, e.g. sm80_m8n32k128_s3_p8_splitk): `python bench/table_tiles.py`."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from codegen.heuristic_table import RULES  # noqa: E402


def tile_name(c) -> str:
    return (f"{c.arch}_m{c.tile_m}n{c.tile_n}k{c.tile_k}_s{c.stages}"
            + (f"_p{c.pipes}" if c.pipes != 1 else "") + ("_bulk" if c.bulk_weights else "")
            + ("_tma" if c.tma_activations else "") + ("_pw" if c.producer_warp else "")
            + f"_{c.scheduler}")


if __name__ == "__main__":
    print(" ".join(sorted({tile_name(c) for rule in RULES for c in rule.choices})))
