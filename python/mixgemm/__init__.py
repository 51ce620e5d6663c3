"""mixgemm: low-bit-weight GEMM kernels for LLM inference (torch binding of libmixgemm).

    qw = mixgemm.quantize(W, bits=4, group_size=128, scale_dtype=torch.float16)  # W: [K, N]
    pw = mixgemm.pack(qw).to("cuda")
    C = mixgemm.gemm(A, pw)            # A: [M, K] fp16/bf16 on the GPU -> C: [M, N]
"""

from ._lib import LibraryNotBuilt, MixgemmError, kernels
from .formats import PER_CHANNEL, PackedWeight, QuantizedWeight
from .ops import gemm, select_kernel
from .pack import pack, unpack
from .quant import quantize
from . import reference

__all__ = [
    "LibraryNotBuilt", "MixgemmError", "PER_CHANNEL", "PackedWeight", "QuantizedWeight",
    "gemm", "kernels", "pack", "quantize", "reference", "select_kernel", "unpack",
]
