"""ctypes binding of libmixgemm's C ABI (mixgemm.h). Status codes become exceptions here."""

from __future__ import annotations

import ctypes
import os
from pathlib import Path

LIBRARY_ENV = "MIXGEMM_LIBRARY"
_REPO_BUILD = Path(__file__).resolve().parents[2] / "build" / "libmixgemm.so"

DTYPE_F16, DTYPE_BF16 = 1, 2  # mixgemm_dtype_t (codegen/enums.py, in declaration order)
FORMAT_UNIFORM = 1  # mixgemm_weight_format_t
STATUS_SUCCESS = 0


class LibraryNotBuilt(RuntimeError):
    pass


class MixgemmError(RuntimeError):
    """A non-success status from the C ABI; `.status` is the code, the message its detail."""

    def __init__(self, status: int, text: str, detail: str):
        self.status = status
        super().__init__(f"{text}: {detail}" if detail else text)


class Problem(ctypes.Structure):
    _fields_ = [
        ("m", ctypes.c_int64),
        ("n", ctypes.c_int64),
        ("k", ctypes.c_int64),
        ("act_dtype", ctypes.c_int),
        ("weight_format", ctypes.c_int),
        ("weight_bits", ctypes.c_int32),
        ("group_size", ctypes.c_int32),
        ("a", ctypes.c_void_p),
        ("lda", ctypes.c_int64),
        ("weight", ctypes.c_void_p),
        ("scales", ctypes.c_void_p),
        ("c", ctypes.c_void_p),
        ("ldc", ctypes.c_int64),
    ]


class KernelInfo(ctypes.Structure):
    _fields_ = [
        ("name", ctypes.c_char_p),
        ("arch", ctypes.c_int32),
        ("act_dtype", ctypes.c_int),
        ("weight_format", ctypes.c_int),
        ("weight_bits", ctypes.c_int32),
        ("group_size", ctypes.c_int32),
        ("tile_m", ctypes.c_int32),
        ("tile_n", ctypes.c_int32),
        ("tile_k", ctypes.c_int32),
        ("stages", ctypes.c_int32),
        ("scheduler", ctypes.c_char_p),
        ("threads", ctypes.c_int32),
        ("smem_bytes", ctypes.c_int32),
        ("pipes", ctypes.c_int32),
        ("bulk_weights", ctypes.c_int32),
        ("tma_activations", ctypes.c_int32),
        ("producer_warp", ctypes.c_int32),
    ]


def library_path() -> Path:
    return Path(os.environ.get(LIBRARY_ENV, _REPO_BUILD))


_lib = None


def lib() -> ctypes.CDLL:
    """Load libmixgemm once; a clear error if it has not been built."""
    global _lib
    if _lib is not None:
        return _lib
    path = library_path()
    if not path.exists():
        raise LibraryNotBuilt(
            f"libmixgemm is not built ({path} does not exist). Build it with "
            "`codegen emit --arch sm80 --bits 3,4 && codegen build` (or `make build`), "
            f"or point ${LIBRARY_ENV} at a built libmixgemm.so."
        )
    so = ctypes.CDLL(str(path))
    P = ctypes.POINTER
    so.mixgemm_status_string.restype = ctypes.c_char_p
    so.mixgemm_status_string.argtypes = [ctypes.c_int]
    so.mixgemm_last_error.restype = ctypes.c_char_p
    so.mixgemm_last_error.argtypes = []
    so.mixgemm_kernel_count.restype = ctypes.c_int32
    so.mixgemm_kernel_info.argtypes = [ctypes.c_int32, P(KernelInfo)]
    so.mixgemm_select_kernel.argtypes = [P(Problem), P(ctypes.c_char_p)]
    so.mixgemm_check.argtypes = [P(Problem), ctypes.c_char_p]
    so.mixgemm_workspace_size.argtypes = [P(Problem), ctypes.c_char_p, P(ctypes.c_size_t)]
    so.mixgemm_gemm.argtypes = [P(Problem), ctypes.c_char_p, ctypes.c_void_p, ctypes.c_size_t,
                                ctypes.c_void_p]
    for fn in ("mixgemm_kernel_info", "mixgemm_select_kernel", "mixgemm_check",
               "mixgemm_workspace_size", "mixgemm_gemm"):
        getattr(so, fn).restype = ctypes.c_int
    _lib = so
    return so


def check(status: int) -> None:
    if status != STATUS_SUCCESS:
        so = lib()
        text = so.mixgemm_status_string(status).decode()
        detail = so.mixgemm_last_error().decode()
        raise MixgemmError(status, text, detail)


def _name(kernel: str | None):
    return kernel.encode() if kernel else None


def kernels() -> list[dict]:
    """Every kernel compiled into the library, as the library itself reports them."""
    so = lib()
    out = []
    for i in range(so.mixgemm_kernel_count()):
        info = KernelInfo()
        check(so.mixgemm_kernel_info(i, ctypes.byref(info)))
        out.append({
            "name": info.name.decode(),
            "arch": info.arch,
            "act": {DTYPE_F16: "f16", DTYPE_BF16: "bf16"}[info.act_dtype],
            "bits": info.weight_bits,
            "group": info.group_size,
            "tile": (info.tile_m, info.tile_n, info.tile_k),
            "stages": info.stages,
            "scheduler": info.scheduler.decode(),
            "threads": info.threads,
            "smem_bytes": info.smem_bytes,
            "pipes": info.pipes,
            "bulk_weights": bool(info.bulk_weights),
            "tma_activations": bool(info.tma_activations),
            "producer_warp": bool(info.producer_warp),
        })
    return out


def select_kernel(problem: Problem) -> str:
    name = ctypes.c_char_p()
    check(lib().mixgemm_select_kernel(ctypes.byref(problem), ctypes.byref(name)))
    return name.value.decode()


def check_problem(problem: Problem, kernel: str | None = None) -> None:
    check(lib().mixgemm_check(ctypes.byref(problem), _name(kernel)))


def workspace_size(problem: Problem, kernel: str | None = None) -> int:
    size = ctypes.c_size_t()
    check(lib().mixgemm_workspace_size(ctypes.byref(problem), _name(kernel), ctypes.byref(size)))
    return size.value


def gemm(problem: Problem, kernel: str | None, workspace: int, workspace_bytes: int,
         stream: int) -> None:
    check(lib().mixgemm_gemm(ctypes.byref(problem), _name(kernel), workspace, workspace_bytes,
                             stream))
