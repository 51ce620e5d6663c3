import json
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The tests run from a checkout whether or not the package is installed.
for p in (ROOT, ROOT / "python"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))


def manifest_path() -> Path:
    return Path(os.environ.get("MIXGEMM_MANIFEST", ROOT / "generated" / "manifest.json"))


def manifest_kernels() -> list[dict]:
    path = manifest_path()
    if not path.exists():
        return []
    return json.loads(path.read_text())["kernels"]


@pytest.fixture(scope="session")
def cuda():
    import torch

    if not torch.cuda.is_available():
        pytest.fail("GPU tests (-m gpu) need a CUDA device")
    # The oracle must not silently use TF32.
    torch.backends.cuda.matmul.allow_tf32 = False
    return torch.device("cuda")
