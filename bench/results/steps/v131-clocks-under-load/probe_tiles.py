"""v131 part 3: SM clock and power of chosen tiles at one M on 70B gate_up and down, fp16,
g128, 3- and 4-bit: `probe_tiles.py M TILE...` (tiles as bench/build_subset.sh names them).
Sampling as clock_probe.py does; probe_power.py (part 2) calls probe() too."""
import sys

import torch

import mixgemm
from mixgemm.bench import _clone_packed, _copies, col_blocks, l2_bytes, quantize_pack

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from clock_probe import report, sampled  # noqa: E402

LAYERS = ((8192, 57344, "70B gate_up"), (28672, 8192, "70B down"))


def probe(M: int, tiles: list[str], layers=LAYERS, label: str = "") -> None:
    """One line per (layer, bits, tile): time, SM clock, memory clock, power."""
    torch.manual_seed(0)
    for K, N, layer in layers:
        for bits in (4, 3):
            pw = quantize_pack((torch.randn(K, c, device="cuda") for c in col_blocks(N, K)),
                               bits, 128, torch.float16)
            copies = _copies(pw, _clone_packed, pw.data.nbytes + pw.scales.nbytes, l2_bytes())
            a = torch.randn(M, K, device="cuda", dtype=torch.float16)
            for tile in tiles:
                family, rest = tile.split("_", 1)
                name = f"{family}_f16_u{bits}_g128_{rest}"
                report(f"{label}{layer} M={M} {bits}-bit {tile}",
                       *sampled([lambda p=p: mixgemm.gemm(a, p, name) for p in copies]))
            del copies, pw
            torch.cuda.empty_cache()


if __name__ == "__main__":
    probe(int(sys.argv[1]), sys.argv[2:])
