"""Run under compute-sanitizer by bench/gpu_check.sh: a sample of kernels on shapes with M, N
and K tails, so that any out-of-bounds access shows up. Not a pytest module."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "python"))
import torch  # noqa: E402

import mixgemm  # noqa: E402

torch.manual_seed(0)
kernels = mixgemm.kernels()
for kern in kernels[:: max(1, len(kernels) // 12)]:
    dtype = torch.float16 if kern["act"] == "f16" else torch.bfloat16
    tm, tn, tk = kern["tile"]
    unit = max(kern["group"], 64) if kern["group"] else 64
    k, n = 3 * unit, tn + 48
    pw = mixgemm.pack(mixgemm.quantize(torch.randn(k, n), kern["bits"], kern["group"],
                                       scale_dtype=dtype)).to("cuda")
    for m in (1, 17, tm + 3):
        a = torch.randn(m, k, device="cuda", dtype=dtype)
        mixgemm.gemm(a, pw, kernel=kern["name"])
torch.cuda.synchronize()
print(f"sanitize sample: ran {len(kernels[:: max(1, len(kernels) // 12)])} kernels")
