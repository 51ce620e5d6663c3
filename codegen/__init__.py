"""mixgemm code generator: kernel configs -> CUTLASS/CuTe sources -> one shared library.

Pure Python (no torch, no CUDA). The flow is one direction only:
``catalog`` builds frozen ``KernelConfig`` objects, ``emit`` renders them through ``templates/``
into ``generated/``, ``build`` compiles that with ninja + nvcc into ``build/libmixgemm.so``.
"""

from .config import KernelConfig, parse_name

__all__ = ["KernelConfig", "parse_name"]
