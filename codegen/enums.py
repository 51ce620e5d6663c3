"""Every enum of the project and its spellings: in kernel names, in C and in C++.

This is the one place where a new activation type, weight format, scheduler or status code is
added; ``mixgemm.h`` and the dispatch table are rendered from these tables, and the Python
binding reads the same values back from ``manifest.json``/the library.
"""

from __future__ import annotations

import enum


class ActDtype(enum.Enum):
    """Activation dtype (also the dtype of scales and of the output)."""

    F16 = "f16"
    BF16 = "bf16"

    @property
    def c_enum(self) -> str:
        return {"f16": "MIXGEMM_DTYPE_F16", "bf16": "MIXGEMM_DTYPE_BF16"}[self.value]

    @property
    def cpp_tag(self) -> str:
        """The C++ tag type in templates/include/mixgemm/act_types.cuh."""
        return {"f16": "mixgemm::F16", "bf16": "mixgemm::BF16"}[self.value]


class WeightFormat(enum.Enum):
    """How a weight code becomes a number. Only the letter appears in kernel names."""

    UNIFORM = "u"  # symmetric uniform: (code - 2^(bits-1)) * scale

    @property
    def c_enum(self) -> str:
        return {"u": "MIXGEMM_FORMAT_UNIFORM"}[self.value]


class Scheduler(enum.Enum):
    """How output tiles and their K ranges are spread over thread blocks."""

    DATA_PARALLEL = "dp"  # one block per output tile, whole K
    STREAM_K = "streamk"  # equal shares of tiles x K iterations, partial tiles fixed up
    SPLIT_K = "splitk"  # every tile cut into the same number of K pieces, one per block
    # split-K whose pieces of a tile are the blocks of one cluster, adding their sums through
    # distributed shared memory (sm90 family)
    CLUSTER_SPLIT_K = "clusterk"

    @property
    def cpp_type(self) -> str:
        return {
            "dp": "mixgemm::DataParallelScheduler",
            "streamk": "mixgemm::StreamKScheduler",
            "splitk": "mixgemm::SplitKScheduler",
            "clusterk": "mixgemm::ClusterSplitKScheduler",
        }[self.value]


class Arch(enum.Enum):
    """Kernel family. The family name is the oldest SM it runs on; `targets` are compiled."""

    SM80 = "sm80"  # mma.sync + cp.async + ldmatrix: A100 and later, H100 included
    SM90 = "sm90"  # wgmma (sm_90a): H100/H200 only; large M

    @property
    def sm(self) -> int:
        return int(self.value[2:])

    @property
    def gemm_class(self) -> str:
        """The C++ kernel template of the family (templates/include/mixgemm/{arch}_gemm.cuh)."""
        return {"sm80": "Sm80Gemm", "sm90": "Sm90Gemm"}[self.value]


# Status codes of the C ABI: (C name, value, message). Python maps them to exceptions by value.
STATUS_CODES: tuple[tuple[str, int, str], ...] = (
    ("MIXGEMM_STATUS_SUCCESS", 0, "success"),
    ("MIXGEMM_STATUS_NULL_POINTER", 1, "a required pointer is NULL"),
    ("MIXGEMM_STATUS_INVALID_SHAPE", 2, "M, N or K is invalid or breaks the N/K rules"),
    ("MIXGEMM_STATUS_MISALIGNED", 3, "a pointer or leading dimension is not aligned to 16 bytes"),
    ("MIXGEMM_STATUS_UNSUPPORTED_DTYPE", 4, "unsupported activation dtype"),
    ("MIXGEMM_STATUS_UNSUPPORTED_FORMAT", 5, "unsupported weight format, bit width or group size"),
    ("MIXGEMM_STATUS_KERNEL_NOT_FOUND", 6, "no kernel of that name is in this library"),
    ("MIXGEMM_STATUS_KERNEL_MISMATCH", 7, "the chosen kernel cannot run this problem"),
    ("MIXGEMM_STATUS_NO_KERNEL", 8, "no kernel in this library can run this problem"),
    ("MIXGEMM_STATUS_WORKSPACE_TOO_SMALL", 9, "the workspace is smaller than mixgemm_workspace_size"),
    ("MIXGEMM_STATUS_DEVICE_UNSUPPORTED", 10, "the current CUDA device cannot run this kernel"),
    ("MIXGEMM_STATUS_CUDA_ERROR", 11, "a CUDA runtime call failed"),
)

# Group size 0 in the C ABI and in configs means one scale per output channel (whole K).
PER_CHANNEL = 0
