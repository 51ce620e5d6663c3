"""Build a two-kernel library (one 3-bit, one 4-bit kernel, sm_80) with the real pipeline
(codegen emit + codegen build -> nvcc), then check the C ABI without a GPU: listing, argument
checks and status codes, and a C program linked against it. Slow (~30 s): marked nvcc."""

import ctypes
import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT
from mixgemm import _lib

pytestmark = pytest.mark.nvcc

KERNELS = ["sm80_f16_u3_g128_m16n128k128_s4_streamk", "sm80_f16_u4_gch_m64n128k64_s4_dp"]


def codegen(*args):
    # This checkout's generator, whatever copy of the package is installed.
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "python")]))
    res = subprocess.run([sys.executable, "-m", "codegen.cli", *args], capture_output=True,
                         text=True, env=env)
    assert res.returncode == 0, res.stdout + res.stderr
    return res.stdout + res.stderr


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    if shutil.which("nvcc") is None and not os.environ.get("NVCC"):
        pytest.skip("nvcc not installed")
    root = tmp_path_factory.mktemp("lib")
    gen, build = root / "generated", root / "build"
    args = ["--name", "none"] + [a for k in KERNELS for a in ("--kernel", k, "--name", k)]
    codegen("emit", *args, "--out", str(gen), "--build-dir", str(build), "--targets", "sm_80")
    out = codegen("build", "--out", str(gen), "--build-dir", str(build))
    assert "link" in out
    so = build / "libmixgemm.so"
    assert so.exists()
    old_env, old_lib = os.environ.get(_lib.LIBRARY_ENV), _lib._lib
    os.environ[_lib.LIBRARY_ENV] = str(so)
    _lib._lib = None
    yield {"gen": gen, "build": build, "so": so}
    _lib._lib = old_lib
    if old_env is None:
        os.environ.pop(_lib.LIBRARY_ENV, None)
    else:
        os.environ[_lib.LIBRARY_ENV] = old_env


def test_up_to_date_build_does_nothing(library):
    out = codegen("build", "--out", str(library["gen"]), "--build-dir", str(library["build"]))
    assert "no work to do" in out


def test_library_lists_its_kernels(library):
    listed = _lib.kernels()
    assert [k["name"] for k in listed] == sorted(KERNELS)
    by_name = {k["name"]: k for k in listed}
    assert by_name[KERNELS[0]]["bits"] == 3 and by_name[KERNELS[0]]["group"] == 128
    assert by_name[KERNELS[1]]["tile"] == (64, 128, 64) and by_name[KERNELS[1]]["group"] == 0


def problem(**overrides):
    fields = dict(m=4, n=128, k=256, act_dtype=_lib.DTYPE_F16, weight_format=_lib.FORMAT_UNIFORM,
                  weight_bits=4, group_size=0, a=4096, lda=256, weight=8192, scales=12288,
                  c=16384, ldc=128)
    fields.update(overrides)
    return _lib.Problem(**fields)


STATUS = {name: value for name, value, _ in __import__("codegen.enums").enums.STATUS_CODES}


@pytest.mark.parametrize("overrides,status,detail", [
    ({"m": 0}, "INVALID_SHAPE", "M=0"),
    ({"n": 120, "ldc": 120}, "INVALID_SHAPE", "N=120 is not a multiple of 16"),
    ({"k": 100, "lda": 104}, "INVALID_SHAPE", "K=100 is not a multiple of 64"),
    ({"group_size": 128, "k": 320, "lda": 320}, "INVALID_SHAPE", "does not divide K=320"),
    ({"group_size": 48}, "UNSUPPORTED_FORMAT", "group_size=48"),
    ({"weight_bits": 9}, "UNSUPPORTED_FORMAT", "weight_bits=9"),
    ({"act_dtype": 7}, "UNSUPPORTED_DTYPE", "act_dtype=7"),
    ({"weight_format": 5}, "UNSUPPORTED_FORMAT", "weight_format=5"),
    ({"a": None}, "NULL_POINTER", "A is NULL"),
    ({"c": None}, "NULL_POINTER", "C is NULL"),
    ({"scales": 12290}, "MISALIGNED", "16-byte aligned"),
    ({"lda": 260}, "MISALIGNED", "multiples of 8"),
    ({"lda": 128}, "INVALID_SHAPE", "lda=128 is less than K=256"),
    ({"weight_bits": 5}, "NO_KERNEL", "no kernel for act=f16 bits=5"),
])
def test_c_abi_rejects_bad_problems(library, overrides, status, detail):
    with pytest.raises(_lib.MixgemmError, match=detail) as info:
        _lib.check_problem(problem(**overrides))
    assert info.value.status == STATUS["MIXGEMM_STATUS_" + status]


def test_c_abi_kernel_by_name(library):
    _lib.check_problem(problem(), KERNELS[1])  # fits: no exception
    with pytest.raises(_lib.MixgemmError, match="no kernel named") as info:
        _lib.check_problem(problem(), "sm80_f16_u4_gch_m16n16k64_s2_dp")
    assert info.value.status == STATUS["MIXGEMM_STATUS_KERNEL_NOT_FOUND"]
    with pytest.raises(_lib.MixgemmError, match="takes 3-bit weights") as info:
        _lib.check_problem(problem(), KERNELS[0])
    assert info.value.status == STATUS["MIXGEMM_STATUS_KERNEL_MISMATCH"]


def test_c_abi_null_problem_and_outputs(library):
    so = _lib.lib()
    assert so.mixgemm_check(None, None) == STATUS["MIXGEMM_STATUS_NULL_POINTER"]
    assert so.mixgemm_workspace_size(ctypes.byref(problem()), None, None) == \
        STATUS["MIXGEMM_STATUS_NULL_POINTER"]
    assert so.mixgemm_kernel_info(99, ctypes.byref(_lib.KernelInfo())) == \
        STATUS["MIXGEMM_STATUS_KERNEL_NOT_FOUND"]
    assert so.mixgemm_status_string(12345) == b"unknown mixgemm status"
    for name, value, text in __import__("codegen.enums").enums.STATUS_CODES:
        assert so.mixgemm_status_string(value).decode() == text


def test_heuristic_in_library_matches_python(library):
    from codegen.config import parse_name
    from codegen.heuristic import choose

    configs = [parse_name(k) for k in KERNELS]
    for m in (1, 16, 17, 64, 300):
        want = choose(configs, m, 128, 256, "f16", 4, 0)
        assert _lib.select_kernel(problem(m=m)) == want.name


def test_c_program_links_and_runs(library, tmp_path):
    cc = shutil.which("gcc") or shutil.which("cc")
    if cc is None:
        pytest.skip("no C compiler")
    exe = tmp_path / "example"
    build = library["build"]
    res = subprocess.run([cc, "-std=c99", "-Wall", "-Wextra", "-Werror", f"-I{build}/include",
                          "tests/c/example.c", f"-L{build}", "-lmixgemm",
                          f"-Wl,-rpath,{build}", "-o", str(exe)],
                         capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 0, res.stderr
    run = subprocess.run([str(exe)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 kernels" in run.stdout
    assert "N=100 is not a multiple of 16" in run.stdout


def test_sm90_kernels_of_both_weight_copies_build_without_spills(tmp_path):
    """The wgmma family's copy paths (cp.async, bulk weights, bulk weights and TMA activations,
    the last with a producer warp, on a 32-row tile: wgmma N = 32, and on an 8-row one: wgmma
    N = 8, TMA activations only), compiled for sm_90a: ptxas reports no register spill (the
    build passes --warn-on-spills) and the library lists them all."""
    if shutil.which("nvcc") is None and not os.environ.get("NVCC"):
        pytest.skip("nvcc not installed")
    kernels = ["sm90_f16_u4_g64_m64n256k128_s4_bulk_streamk",
               "sm90_f16_u4_g64_m64n256k128_s4_streamk",
               "sm90_bf16_u3_g128_m128n256k128_s4_bulk_tma_streamk",
               "sm90_f16_u4_g128_m32n256k128_s4_bulk_tma_pw_streamk",
               "sm90_f16_u3_g128_m8n128k256_s4_bulk_tma_pw_streamk"]
    gen, build = tmp_path / "generated", tmp_path / "build"
    args = ["--name", "none"] + [a for k in kernels for a in ("--kernel", k, "--name", k)]
    codegen("emit", *args, "--out", str(gen), "--build-dir", str(build), "--targets", "sm_90")
    out = codegen("build", "--out", str(gen), "--build-dir", str(build))
    assert "spill" not in out.lower(), out
    manifest = (gen / "manifest.json").read_text()
    assert all(k in manifest for k in kernels) and '"bulk_weights": true' in manifest
    assert '"tma_activations": true' in manifest and '"producer_warp": true' in manifest
