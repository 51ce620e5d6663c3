"""Run under compute-sanitizer by bench/gpu_check.sh: a sample of kernels on shapes with M, N
and K tails, so that any out-of-bounds access shows up. Not a pytest module."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "python"))
import torch  # noqa: E402

import mixgemm  # noqa: E402

torch.manual_seed(0)
kernels = mixgemm.kernels()
sample = []
for family in sorted({k["name"].split("_")[0] for k in kernels}):  # every family: sm80, sm90
    of_family = [k for k in kernels if k["name"].startswith(family + "_")]
    sample += of_family[:: max(1, len(of_family) // 8)]
    # and every scheduler and group size, every pair of tile height (8: the MMA operands
    # swapped) and number of pipes per block, and every tile and group size of each weight
    # copy path (bulk copies skip the rows past K and the units past N)
    for value_of in (lambda k: k["scheduler"], lambda k: k["group"],
                     lambda k: (k["tile"][0], k["pipes"]),
                     lambda k: (k["bulk_weights"], k["tma_activations"], k["producer_warp"],
                                k["group"]),
                     lambda k: (k["bulk_weights"], k["tma_activations"], k["producer_warp"],
                                tuple(k["tile"]))):
        for value in sorted({value_of(k) for k in of_family}):
            if not any(value_of(k) == value for k in sample if k in of_family):
                sample.append(next(k for k in of_family if value_of(k) == value))
for kern in sample:
    dtype = torch.float16 if kern["act"] == "f16" else torch.bfloat16
    tm, tn, tk = kern["tile"]
    unit = max(kern["group"], 64) if kern["group"] else 64
    # A shallow K, and for the schedulers that split tiles along K one deep enough to split.
    depths = (3, 33) if kern["scheduler"] in ("streamk", "splitk", "clusterk") else (3,)
    for k in (d * unit for d in depths):
        n = tn + 48
        pw = mixgemm.pack(mixgemm.quantize(torch.randn(k, n), kern["bits"], kern["group"],
                                           scale_dtype=dtype)).to("cuda")
        for m in (1, 5, 17, tm + 3):
            a = torch.randn(m, k, device="cuda", dtype=dtype)
            mixgemm.gemm(a, pw, kernel=kern["name"])
torch.cuda.synchronize()
print(f"sanitize sample: ran {len(sample)} kernels: " + ", ".join(k["name"] for k in sample))
