"""v131 part 2: SM clock and power of v124's timing probes (probe.diff: 0 the library's loop,
1 no unpack, 2 no MMA, 3 no compute) on 70B gate_up, fp16, g128: the 8x64x128 s4 p2 tile at
M = 1 and the 16x128x256 Stream-K tile at M = 16, 3- and 4-bit. One process per probe library
(MIXGEMM_LIBRARY), label in argv[1]; measured by probe_tiles.probe()."""
import sys

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from probe_tiles import LAYERS, probe  # noqa: E402

if __name__ == "__main__":
    label = f"{sys.argv[1]}: "
    probe(1, ["sm80_m8n64k128_s4_p2_splitk"], LAYERS[:1], label)
    probe(16, ["sm80_m16n128k256_s3_streamk"], LAYERS[:1], label)
