"""Print every tile the committed heuristic table names, as bench/build_subset.sh takes them
(family and tile, e.g. sm80_m8n32k128_s3_p8_splitk): `python bench/table_tiles.py`."""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]
from codegen.config import KernelConfig  # noqa: E402
from codegen.enums import ActDtype, Arch, Scheduler, WeightFormat  # noqa: E402
from codegen.heuristic_table import RULES  # noqa: E402
from compare import tile_of  # noqa: E402


def tile_name(c) -> str:
    """A rule's choice as a tile name: any format's kernel name without act, format and group."""
    cfg = KernelConfig(Arch(c.arch), ActDtype.F16, WeightFormat.UNIFORM, 4, 128, c.tile_m,
                       c.tile_n, c.tile_k, c.stages, Scheduler(c.scheduler), c.pipes,
                       c.bulk_weights, c.tma_activations, c.producer_warp)
    return tile_of(cfg.name)


if __name__ == "__main__":
    print(" ".join(sorted({tile_name(c) for rule in RULES for c in rule.choices})))
