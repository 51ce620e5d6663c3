"""The torch custom op `mixgemm::gemm` and the public `gemm` call.

Arguments are checked here, with messages that name the problem, before the C ABI is called;
the C ABI checks them again (for C/C++ callers) and its status becomes a MixgemmError.
"""

from __future__ import annotations

import torch

from . import _lib
from .formats import PACK_K, PACK_N, PER_CHANNEL, SUPPORTED_BITS, PackedWeight

_ACT_DTYPES = {torch.float16: _lib.DTYPE_F16, torch.bfloat16: _lib.DTYPE_BF16}


def _check_args(a: torch.Tensor, weight: torch.Tensor, scales: torch.Tensor, bits: int,
                group_size: int) -> tuple[int, int, int]:
    """Validate everything that can be checked without the GPU. Returns (M, N, K)."""
    for name, t in (("A", a), ("weight", weight), ("scales", scales)):
        if not isinstance(t, torch.Tensor):
            raise TypeError(f"{name} must be a torch.Tensor, got {type(t).__name__}")
    if a.dtype not in _ACT_DTYPES:
        raise TypeError(f"A must be float16 or bfloat16, got {a.dtype}")
    if scales.dtype != a.dtype:
        raise TypeError(f"scales must have A's dtype {a.dtype}, got {scales.dtype}")
    if weight.dtype != torch.int32:
        raise TypeError(f"packed weight must be int32 (mixgemm.pack), got {weight.dtype}")
    if a.dim() != 2:
        raise ValueError(f"A must be 2-D [M, K], got shape {tuple(a.shape)}")
    if scales.dim() != 2:
        raise ValueError(f"scales must be 2-D [K / group_size, N], got {tuple(scales.shape)}")
    m, k = a.shape
    n = scales.shape[1]
    if m == 0:
        raise ValueError("M = 0: A has no rows; mixgemm needs M >= 1")
    if bits not in SUPPORTED_BITS:
        raise ValueError(f"bits={bits}: supported widths are {SUPPORTED_BITS}")
    if k % PACK_K:
        raise ValueError(f"K={k} is not a multiple of {PACK_K}")
    if n % PACK_N or n == 0:
        raise ValueError(f"N={n} is not a positive multiple of {PACK_N}")
    if group_size != PER_CHANNEL and (group_size < 0 or group_size % 32):
        raise ValueError(f"group_size={group_size}: a positive multiple of 32, or 0 (per channel)")
    if group_size != PER_CHANNEL and k % group_size:
        raise ValueError(f"group_size={group_size} does not divide K={k}")
    groups = 1 if group_size == PER_CHANNEL else k // group_size
    if scales.shape[0] != groups:
        raise ValueError(
            f"scales has {scales.shape[0]} rows; K={k} with group_size={group_size} needs {groups}"
        )
    expected = (k // PACK_K, (n // PACK_N) * 32 * bits)
    if tuple(weight.shape) != expected:
        raise ValueError(
            f"packed weight has shape {tuple(weight.shape)}; K={k}, N={n}, bits={bits} needs "
            f"{expected} (shape mismatch between A and the weight?)"
        )
    for name, t in (("A", a), ("weight", weight), ("scales", scales)):
        if not t.is_contiguous():
            raise ValueError(f"{name} must be contiguous (call .contiguous())")
    if a.device.type != "meta":
        if a.device.type != "cuda":
            raise ValueError(f"A must be on a CUDA device, got {a.device}")
        for name, t in (("weight", weight), ("scales", scales)):
            if t.device != a.device:
                raise ValueError(f"{name} is on {t.device} but A is on {a.device}")
    return m, n, k


def _problem(a, weight, scales, c, bits, group_size) -> _lib.Problem:
    m, k = a.shape
    n = c.shape[1]
    return _lib.Problem(
        m=m, n=n, k=k, act_dtype=_ACT_DTYPES[a.dtype], weight_format=_lib.FORMAT_UNIFORM,
        weight_bits=bits, group_size=group_size,
        a=a.data_ptr(), lda=a.stride(0), weight=weight.data_ptr(), scales=scales.data_ptr(),
        c=c.data_ptr(), ldc=c.stride(0),
    )


# Fix-up workspaces (Stream-K, split-K), one per (device, stream): they must start zero-filled
# and every call leaves them so, which makes reuse free (no memset per call). Calls on one
# stream are ordered, so they can share one; calls on different streams must not.
_workspaces: dict[tuple[int, int], torch.Tensor] = {}


def _workspace(device: torch.device, stream: int, nbytes: int) -> torch.Tensor:
    key = (device.index, stream)
    ws = _workspaces.get(key)
    if ws is None or ws.numel() < nbytes:
        ws = torch.zeros(max(nbytes, 1 << 20), dtype=torch.uint8, device=device)
        _workspaces[key] = ws
    return ws


def _launch(a, weight, scales, bits, group_size, kernel, c) -> None:
    problem = _problem(a, weight, scales, c, bits, group_size)
    name = kernel or None
    with torch.cuda.device(a.device):
        ws_bytes = _lib.workspace_size(problem, name)
        stream = torch.cuda.current_stream(a.device).cuda_stream
        ws_ptr = _workspace(a.device, stream, ws_bytes).data_ptr() if ws_bytes else 0
        _lib.gemm(problem, name, ws_ptr, ws_bytes, stream)


def _check_out(out: torch.Tensor, a: torch.Tensor, m: int, n: int) -> None:
    if not isinstance(out, torch.Tensor):
        raise TypeError(f"out must be a torch.Tensor, got {type(out).__name__}")
    if out.dtype != a.dtype or tuple(out.shape) != (m, n):
        raise ValueError(f"out must be {a.dtype} [{m}, {n}], got {out.dtype} {tuple(out.shape)}")
    if not out.is_contiguous() or out.device != a.device:
        raise ValueError(f"out must be contiguous and on {a.device}")


@torch.library.custom_op("mixgemm::gemm", mutates_args=())
def gemm_op(a: torch.Tensor, weight: torch.Tensor, scales: torch.Tensor, bits: int,
            group_size: int, kernel_name: str = "") -> torch.Tensor:
    """C[M, N] = A[M, K] @ dequant(weight); kernel_name "" lets the library's heuristic choose.

    (Not called `kernel`: Inductor's fallback lowering has a parameter of that name.)"""
    m, n, _ = _check_args(a, weight, scales, bits, group_size)
    c = torch.empty(m, n, dtype=a.dtype, device=a.device)
    _launch(a, weight, scales, bits, group_size, kernel_name, c)
    return c


@gemm_op.register_fake
def _gemm_fake(a, weight, scales, bits, group_size, kernel_name=""):
    m, n, _ = _check_args(a, weight, scales, bits, group_size)
    return a.new_empty(m, n)


@torch.library.custom_op("mixgemm::gemm_out", mutates_args=("out",))
def gemm_out_op(a: torch.Tensor, weight: torch.Tensor, scales: torch.Tensor, bits: int,
                group_size: int, kernel_name: str, out: torch.Tensor) -> None:
    """Like mixgemm::gemm, writing into a preallocated `out` [M, N]."""
    m, n, _ = _check_args(a, weight, scales, bits, group_size)
    _check_out(out, a, m, n)
    _launch(a, weight, scales, bits, group_size, kernel_name, out)


@gemm_out_op.register_fake
def _gemm_out_fake(a, weight, scales, bits, group_size, kernel_name, out):
    m, n, _ = _check_args(a, weight, scales, bits, group_size)
    _check_out(out, a, m, n)


def gemm(a: torch.Tensor, w: PackedWeight, kernel: str | None = None,
         out: torch.Tensor | None = None) -> torch.Tensor:
    """C = A @ dequant(W) for A [..., K] (fp16/bf16, CUDA) and a PackedWeight from `pack`.

    `kernel` forces a kernel by name (see `mixgemm.kernels()`); by default the library's
    heuristic picks one for (M, N, K, format). `out` [M, N] (A 2-D only) is written in place.
    """
    if not isinstance(w, PackedWeight):
        raise TypeError(f"w must be a mixgemm.PackedWeight (from mixgemm.pack), got {type(w)}")
    if not isinstance(a, torch.Tensor):
        raise TypeError(f"A must be a torch.Tensor, got {type(a).__name__}")
    if a.dim() < 1 or a.shape[-1] != w.k:
        raise ValueError(f"A has shape {tuple(a.shape)}: its last dim must be K={w.k}")
    if w.scales.shape[-1] != w.n:
        raise ValueError(f"w.scales has {w.scales.shape[-1]} columns, the weight has N={w.n}")
    if out is not None:
        if a.dim() != 2:
            raise ValueError("out= needs a 2-D A [M, K]")
        torch.ops.mixgemm.gemm_out(a, w.data, w.scales, w.bits, w.group_size, kernel or "", out)
        return out
    lead = a.shape[:-1]
    a2 = a.reshape(-1, w.k) if a.dim() != 2 else a
    c = torch.ops.mixgemm.gemm(a2, w.data, w.scales, w.bits, w.group_size, kernel or "")
    return c.reshape(*lead, w.n)


def select_kernel(m: int, n: int, k: int, dtype: torch.dtype, bits: int, group_size: int) -> str:
    """The kernel the library's heuristic picks for this problem (no launch)."""
    problem = _lib.Problem(m=m, n=n, k=k, act_dtype=_ACT_DTYPES[dtype],
                           weight_format=_lib.FORMAT_UNIFORM, weight_bits=bits,
                           group_size=group_size, a=16, lda=k, weight=16, scales=16, c=16, ldc=n)
    return _lib.select_kernel(problem)
