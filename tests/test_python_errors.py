"""Bad input to the Python API raises an exception naming the problem, before any launch.
(CPU tensors: these checks run before the device check.)"""

import pytest
import torch

import mixgemm
from mixgemm.ops import _check_args


@pytest.fixture
def pw():
    return mixgemm.pack(mixgemm.quantize(torch.randn(256, 64), 4, 128))


def call(a, pw, **kw):
    return mixgemm.gemm(a, pw, **kw)


def test_wrong_dtype(pw):
    with pytest.raises(TypeError, match="float16 or bfloat16"):
        call(torch.randn(4, 256), pw)
    with pytest.raises(TypeError, match="scales must have A's dtype"):
        call(torch.randn(4, 256).bfloat16(), pw)


def test_shape_mismatch(pw):
    with pytest.raises(ValueError, match="last dim must be K=256"):
        call(torch.randn(4, 128).half(), pw)


def test_m_zero(pw):
    with pytest.raises(ValueError, match="M = 0"):
        call(torch.randn(0, 256).half(), pw)


def test_not_on_cuda(pw):
    with pytest.raises(ValueError, match="CUDA device"):
        call(torch.randn(4, 256).half(), pw)


def test_non_contiguous(pw):
    a = torch.randn(256, 8).half().t()
    with pytest.raises(ValueError, match="contiguous"):
        _check_args(a, pw.data, pw.scales, 4, 128)


def test_k_and_n_rules():
    a = torch.randn(2, 100).half()
    with pytest.raises(ValueError, match="K=100 is not a multiple of 64"):
        _check_args(a, torch.zeros(1, 1, dtype=torch.int32), torch.ones(1, 16).half(), 4, 0)
    a = torch.randn(2, 64).half()
    with pytest.raises(ValueError, match="N=24 is not a positive multiple of 16"):
        _check_args(a, torch.zeros(1, 1, dtype=torch.int32), torch.ones(1, 24).half(), 4, 0)


def test_group_size_rules():
    a = torch.randn(2, 192).half()
    w = torch.zeros(3, 32 * 4, dtype=torch.int32)
    with pytest.raises(ValueError, match="group_size=128 does not divide K=192"):
        _check_args(a, w, torch.ones(1, 16).half(), 4, 128)
    with pytest.raises(ValueError, match="group_size=48"):
        _check_args(a, w, torch.ones(4, 16).half(), 4, 48)
    with pytest.raises(ValueError, match="scales has 2 rows"):
        _check_args(a, w, torch.ones(2, 16).half(), 4, 64)


def test_packed_shape_and_bits(pw):
    a = torch.randn(2, 256).half()
    with pytest.raises(ValueError, match="packed weight has shape"):
        _check_args(a, pw.data, pw.scales, 3, 128)  # 4-bit data claimed as 3-bit
    with pytest.raises(ValueError, match="bits=1"):
        _check_args(a, pw.data, pw.scales, 1, 128)
    with pytest.raises(TypeError, match="int32"):
        _check_args(a, pw.data.float(), pw.scales, 4, 128)


def test_not_a_packed_weight():
    with pytest.raises(TypeError, match="PackedWeight"):
        mixgemm.gemm(torch.randn(2, 64).half(), torch.zeros(64, 16))


def test_fake_impl_gives_shape_without_running(pw):
    a = torch.empty(7, 256, dtype=torch.float16, device="meta")
    out = torch.ops.mixgemm.gemm(a, pw.data.to("meta"), pw.scales.to("meta"), 4, 128, "")
    assert out.shape == (7, 64) and out.device.type == "meta"
