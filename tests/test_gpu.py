"""GPU tests (`pytest -m gpu`): every kernel of the manifest against the float64 reference.

Inputs are fresh random numbers each time (never zeros), outputs are poisoned with NaN first,
and shapes include M, N and K tails that do not fill a tile.
"""

import math

import pytest
import torch

import mixgemm
from conftest import manifest_kernels, manifest_path
from mixgemm import reference

pytestmark = pytest.mark.gpu

KERNELS = manifest_kernels()
M_VALUES = (1, 7, 16, 17, 64, 1000)
TOLERANCE = {"f16": 2e-3, "bf16": 1e-2}
DTYPE = {"f16": torch.float16, "bf16": torch.bfloat16}
FIXUP = ("streamk", "splitk")  # schedulers that add partial sums through a workspace
SPLITTING = FIXUP + ("clusterk",)  # all that split tiles along K


def shapes_for(kernel: dict) -> list[tuple[int, int]]:
    """(K, N): one that fills tiles, one with K and N tails (K not a multiple of tile_k where
    the group allows, N not a multiple of tile_n)."""
    tm, tn, tk = kernel["tile"]
    unit = max(kernel["group"], 64) if kernel["group"] else 64
    shapes = [(1024, 2 * tn), (3 * unit, 2 * tn + 48)]
    if kernel["scheduler"] in SPLITTING:  # 13 K units x 37 N units: no even split anywhere
        shapes.append((13 * unit, 16 * 37))
    return shapes


def random_weight(k, n, bits, group, dtype, device, gen):
    w = torch.randn(k, n, generator=gen, device=device)
    qw = mixgemm.quantize(w, bits, group, scale_dtype=dtype)
    return qw, mixgemm.pack(qw)


def rel_error(c: torch.Tensor, ref: torch.Tensor) -> float:
    return ((c.double() - ref).norm() / ref.norm()).item()


def test_manifest_matches_library():
    assert KERNELS, f"no kernels in {manifest_path()}: run codegen emit + build first"
    assert [k["name"] for k in mixgemm.kernels()] == [k["name"] for k in KERNELS]


@pytest.mark.parametrize("kernel", KERNELS, ids=[k["name"] for k in KERNELS])
def test_kernel_matches_reference(cuda, kernel):
    gen = torch.Generator(device=cuda)
    gen.seed()  # fresh inputs every run
    dtype = DTYPE[kernel["act"]]
    for k, n in shapes_for(kernel):
        qw, pw = random_weight(k, n, kernel["bits"], kernel["group"], dtype, cuda, gen)
        for m in M_VALUES:
            a = torch.randn(m, k, generator=gen, device=cuda).to(dtype)
            out = torch.full((m, n), float("nan"), dtype=dtype, device=cuda)
            mixgemm.gemm(a, pw, kernel=kernel["name"], out=out)
            ref = reference.gemm(a, qw)
            assert torch.isfinite(out).all(), f"M={m} K={k} N={n}: unwritten (NaN) outputs"
            err = rel_error(out, ref)
            assert err < TOLERANCE[kernel["act"]], f"M={m} K={k} N={n}: rel error {err:.2e}"


@pytest.mark.parametrize("act", ["f16", "bf16"])
def test_heuristic_default_is_correct(cuda, act):
    """No kernel name: the library's heuristic picks one per M, and each pick is right."""
    gen = torch.Generator(device=cuda)
    gen.seed()
    dtype = DTYPE[act]
    formats = sorted({(k["bits"], k["group"]) for k in KERNELS if k["act"] == act})
    for bits, group in formats:
        qw, pw = random_weight(512, 256, bits, group, dtype, cuda, gen)
        for m in M_VALUES:
            a = torch.randn(m, 512, generator=gen, device=cuda).to(dtype)
            c = mixgemm.gemm(a, pw)
            assert rel_error(c, reference.gemm(a, qw)) < TOLERANCE[act], (bits, group, m)


@pytest.mark.parametrize("kernel", KERNELS[:: max(1, len(KERNELS) // 8)],
                         ids=lambda k: k["name"])
def test_exact_small_integers(cuda, kernel):
    """A in {-1, 0, 1}, power-of-two scales: every product and partial sum is exact, so the
    output must equal the reference bit for bit."""
    dtype = DTYPE[kernel["act"]]
    m, k, n = 33, 256, kernel["tile"][1] * 2
    gen = torch.Generator(device=cuda)
    gen.seed()
    bits, group = kernel["bits"], kernel["group"]
    codes = torch.randint(0, 2**bits, (k, n), generator=gen, device=cuda, dtype=torch.int32)
    groups = 1 if group == 0 else k // group
    scales = (2.0 ** torch.randint(-3, 1, (groups, n), generator=gen, device=cuda)).to(dtype)
    qw = mixgemm.QuantizedWeight(codes.to(torch.uint8), scales, bits, group)
    pw = mixgemm.pack(qw)
    a = torch.randint(-1, 2, (m, k), generator=gen, device=cuda).to(dtype)
    c = mixgemm.gemm(a, pw, kernel=kernel["name"])
    ref = reference.gemm(a, qw).to(dtype)
    assert torch.equal(c, ref), f"max diff {(c.double() - ref.double()).abs().max().item()}"


@pytest.mark.parametrize("kernel", KERNELS[:: max(1, len(KERNELS) // 8)],
                         ids=lambda k: k["name"])
def test_identity_activations_give_the_weights(cuda, kernel):
    """A = I: row i of C is row i of the dequantized weight. Catches any layout mix-up."""
    dtype = DTYPE[kernel["act"]]
    k, n = 128, kernel["tile"][1]
    gen = torch.Generator(device=cuda)
    gen.seed()
    codes = torch.randint(0, 2 ** kernel["bits"], (k, n), generator=gen, device=cuda)
    groups = 1 if kernel["group"] == 0 else k // kernel["group"]
    scales = (2.0 ** torch.randint(-2, 2, (groups, n), generator=gen, device=cuda)).to(dtype)
    qw = mixgemm.QuantizedWeight(codes.to(torch.uint8), scales, kernel["bits"], kernel["group"])
    c = mixgemm.gemm(torch.eye(k, device=cuda, dtype=dtype), mixgemm.pack(qw),
                     kernel=kernel["name"])
    assert torch.equal(c, reference.dequantize(qw).to(dtype))


def copy_paths() -> list[dict]:
    """One kernel of each way activations and weights reach shared memory (sm80 cp.async; sm90
    cp.async, bulk weights, bulk weights and TMA activations, those with a producer warp), the
    first of each in the manifest."""
    seen = {}
    for k in KERNELS:
        seen.setdefault((k["arch"], k.get("bulk_weights"), k.get("tma_activations"),
                         k.get("producer_warp")), k)
    return list(seen.values())


@pytest.mark.parametrize("kernel", copy_paths(), ids=lambda k: k["name"])
def test_padded_activation_rows(cuda, kernel):
    """A with a row stride past K (lda > K, allowed by the C ABI; the Python API passes
    contiguous A): each copy path reads K columns of every row and nothing beyond, which is
    NaN here (for TMA activations: the tensor map's row stride and its zeros past K)."""
    from mixgemm import _lib, ops

    gen = torch.Generator(device=cuda)
    gen.seed()
    dtype = DTYPE[kernel["act"]]
    unit = max(kernel["group"], 64) if kernel["group"] else 64
    k, n = 3 * unit, 2 * kernel["tile"][1] + 48
    qw, pw = random_weight(k, n, kernel["bits"], kernel["group"], dtype, cuda, gen)
    for m in (7, 100):
        padded = torch.full((m, k + 72), float("nan"), dtype=dtype, device=cuda)
        padded[:, :k] = torch.randn(m, k, generator=gen, device=cuda).to(dtype)
        a = padded[:, :k]  # lda = K + 72: a multiple of 8, as the C ABI requires
        out = torch.full((m, n), float("nan"), dtype=dtype, device=cuda)
        problem = ops._problem(a, pw.data, pw.scales, out, pw.bits, pw.group_size)
        assert problem.lda == k + 72
        ws_bytes = _lib.workspace_size(problem, kernel["name"])
        stream = torch.cuda.current_stream(cuda).cuda_stream
        ws = ops._workspace(cuda, stream, ws_bytes)
        _lib.gemm(problem, kernel["name"], ws.data_ptr() if ws_bytes else 0, ws_bytes, stream)
        ref = reference.gemm(a.contiguous(), qw)
        assert torch.isfinite(out).all(), f"M={m}: NaN from past K, or unwritten outputs"
        assert rel_error(out, ref) < TOLERANCE[kernel["act"]], f"M={m}"


def test_split_kernels_share_a_workspace_and_leave_it_zeroed(cuda):
    """All kernels that split tiles along K run back to back on one stream (Stream-K and
    split-K through one cached workspace), and each gives the same bits when called again
    (deterministic fix-up). A library of chosen kernels (bench/build_subset.sh) may have only
    one of the schedulers; the default catalog has both (test_codegen)."""
    from mixgemm import ops

    gen = torch.Generator(device=cuda)
    gen.seed()
    split = [k for k in KERNELS if k["scheduler"] in SPLITTING]
    if not split:
        pytest.skip("no kernel of this library splits tiles along K")
    for kernel in split:
        dtype = DTYPE[kernel["act"]]
        unit = max(kernel["group"], 64) if kernel["group"] else 64
        # Deep enough K that split-K cuts the few tiles of this layer into several pieces.
        k = 64 * unit
        qw, pw = random_weight(k, 336, kernel["bits"], kernel["group"], dtype, cuda, gen)
        for m in (3, 100):
            a = torch.randn(m, k, generator=gen, device=cuda).to(dtype)
            c = mixgemm.gemm(a, pw, kernel=kernel["name"])
            assert rel_error(c, reference.gemm(a, qw)) < TOLERANCE[kernel["act"]], kernel["name"]
            again = mixgemm.gemm(a, pw, kernel=kernel["name"])
            assert torch.equal(c, again), f"{kernel['name']}: not deterministic"
    torch.cuda.synchronize()
    stream = torch.cuda.current_stream().cuda_stream
    workspace = ops._workspaces.get((cuda.index or 0, stream))
    if workspace is None:  # every tile fit in one block (pipes split K inside blocks only)
        return
    assert int(workspace[: 64 * 1024].count_nonzero()) == 0, "fix-up flags must be left zeroed"


def require_format(act, bits, group):
    """Skip a test written for one format when the library under test was built without it
    (e.g. `MIXGEMM_LIBRARY` pointing at a build of other bit widths)."""
    if not any((k["act"], k["bits"], k["group"]) == (act, bits, group) for k in KERNELS):
        pytest.skip(f"no {act} {bits}-bit group-{group} kernel in this library")


def test_cuda_graph_capture(cuda):
    """The call records into a CUDA graph and replays with new inputs."""
    require_format("f16", 4, 128)
    gen = torch.Generator(device=cuda)
    gen.seed()
    qw, pw = random_weight(1024, 512, 4, 128, torch.float16, cuda, gen)
    a = torch.randn(16, 1024, generator=gen, device=cuda).half()
    mixgemm.gemm(a, pw)  # warm-up outside capture (smem opt-in, allocator)
    torch.cuda.synchronize()
    graph = torch.cuda.CUDAGraph()
    with torch.cuda.graph(graph):
        c = mixgemm.gemm(a, pw)
    for _ in range(3):
        a.copy_(torch.randn(16, 1024, generator=gen, device=cuda).half())
        c.fill_(float("nan"))
        graph.replay()
        torch.cuda.synchronize()
        assert rel_error(c, reference.gemm(a, qw)) < TOLERANCE["f16"]


def test_torch_compile_uses_fake_impl(cuda):
    require_format("f16", 4, 64)
    gen = torch.Generator(device=cuda)
    gen.seed()
    qw, pw = random_weight(256, 128, 4, 64, torch.float16, cuda, gen)
    f = torch.compile(lambda x: mixgemm.gemm(x, pw) * 2, fullgraph=True)
    a = torch.randn(5, 256, generator=gen, device=cuda).half()
    assert rel_error(f(a), 2 * reference.gemm(a, qw)) < TOLERANCE["f16"]


def test_bad_device_inputs_raise_before_launch(cuda):
    qw, pw = random_weight(256, 128, 4, 64, torch.float16, cuda, torch.Generator(cuda))
    a = torch.randn(4, 256, device=cuda).half()
    with pytest.raises(ValueError, match="contiguous"):
        mixgemm.gemm(torch.randn(256, 8, device=cuda).half().t(), pw)
    with pytest.raises(ValueError, match="CUDA device"):
        mixgemm.gemm(a.cpu(), pw)
    with pytest.raises(ValueError, match="is on cpu"):
        mixgemm.gemm(a, pw.to("cpu"))
    with pytest.raises(TypeError, match="float16 or bfloat16"):
        mixgemm.gemm(a.float(), pw)
    with pytest.raises(ValueError, match="M = 0"):
        mixgemm.gemm(a[:0], pw)
    bf16_kernels = [k["name"] for k in KERNELS if k["act"] == "bf16"]
    if bf16_kernels:  # a library of chosen kernels (bench/build_subset.sh) may have none
        with pytest.raises(mixgemm.MixgemmError, match="bf16"):
            mixgemm.gemm(a, pw, kernel=bf16_kernels[0])
    with pytest.raises(mixgemm.MixgemmError, match="no kernel named"):
        mixgemm.gemm(a, pw, kernel="sm80_f16_u4_g64_m16n16k64_s2_dp")


PDL_CHAIN = """
import sys, torch, mixgemm
from mixgemm import reference
gen = torch.Generator(device="cuda")
gen.seed()
def weight(k, n):  # scaled by 1/sqrt(K): values stay near 1 along the chain
    w = torch.randn(k, n, generator=gen, device="cuda") / k**0.5
    qw = mixgemm.quantize(w, 4, 128, scale_dtype=torch.float16)
    return qw, mixgemm.pack(qw)
(q1, w1), (q2, w2) = weight(4096, 2048), weight(2048, 4096)
for name in sys.argv[1:]:
    for m in (1, 16, 64):
        a = torch.empty(m, 4096, device="cuda", dtype=torch.float16)
        mid = torch.empty(m, 2048, device="cuda", dtype=torch.float16)
        def chain():
            # Each GEMM reads what the one before wrote (mid, then a) and, from the second on,
            # overwrites what the one before read (a, then mid).
            for _ in range(2):
                mixgemm.gemm(a, w1, name, out=mid)
                mixgemm.gemm(mid, w2, name, out=a)
        a.normal_(generator=gen)
        chain()  # warm-up outside capture
        torch.cuda.synchronize()
        graph = torch.cuda.CUDAGraph()
        with torch.cuda.graph(graph):
            chain()
        for _ in range(3):
            a.normal_(generator=gen)
            ref = a.double()
            for _ in range(2):
                ref = reference.gemm(reference.gemm(ref.half(), q1).half(), q2)
            graph.replay()
            torch.cuda.synchronize()
            err = ((a.double() - ref).norm() / ref.norm()).item()
            assert err < 1e-2, (name, m, err)
print("ok")
"""


def test_programmatic_dependent_launch_keeps_order(cuda):
    """MIXGEMM_PDL=1 (read once per process, hence a subprocess): in a graph of four
    GEMMs, each reading the previous one's output and overwriting its input, every family and
    scheduler gives the reference result on every replay."""
    import os
    import subprocess
    import sys

    require_format("f16", 4, 128)
    kernels = {}  # the first f16 4-bit group-128 kernel of each (family, scheduler)
    for k in KERNELS:
        if (k["act"], k["bits"], k["group"]) == ("f16", 4, 128):
            kernels.setdefault((k["arch"], k["scheduler"]), k["name"])
    assert len(kernels) >= 3, sorted(kernels)
    env = dict(os.environ, MIXGEMM_PDL="1")
    done = subprocess.run([sys.executable, "-c", PDL_CHAIN, *kernels.values()], env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0 and "ok" in done.stdout, done.stderr[-3000:]
