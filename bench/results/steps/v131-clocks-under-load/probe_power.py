"""v131 part 2: SM clock and power of v124's timing probes (probe.diff: 0 the library's loop,
1 no unpack, 2 no MMA, 3 no compute) on 70B gate_up, fp16, g128: the 8x64x128 s4 p2 tile at
M = 1 and the 16x128x256 Stream-K tile at M = 16, 3- and 4-bit. One process per probe library
(MIXGEMM_LIBRARY), label in argv[1]; sampling as clock_probe.py does."""
import sys

import torch

import mixgemm
from mixgemm.bench import _clone_packed, _copies, col_blocks, l2_bytes, quantize_pack

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from clock_probe import report, sampled  # noqa: E402

TILES = {1: "m8n64k128_s4_p2_splitk", 16: "m16n128k256_s3_streamk"}


def main():
    label = sys.argv[1]
    torch.manual_seed(0)
    K, N = 8192, 57344
    for bits in (4, 3):
        pw = quantize_pack((torch.randn(K, c, device="cuda") for c in col_blocks(N, K)), bits,
                           128, torch.float16)
        copies = _copies(pw, _clone_packed, pw.data.nbytes + pw.scales.nbytes, l2_bytes())
        for M, tile in TILES.items():
            a = torch.randn(M, K, device="cuda", dtype=torch.float16)
            name = f"sm80_f16_u{bits}_g128_{tile}"
            report(f"{label}: 70B gate_up M={M} {bits}-bit {tile}",
                   *sampled([lambda p=p: mixgemm.gemm(a, p, name) for p in copies]))
        del copies, pw
        torch.cuda.empty_cache()


if __name__ == "__main__":
    sys.exit(main())
