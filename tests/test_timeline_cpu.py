"""bench/timeline.py without a GPU or nvcc: the probe's compile command comes from the
emitted build files and the kernel's type from the emitted sources."""

import importlib.util
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("timeline", REPO / "bench" / "timeline.py")
timeline = importlib.util.module_from_spec(spec)
spec.loader.exec_module(timeline)

GEMM = ("Sm80Gemm<mixgemm::F16, UniformUnpacker<mixgemm::F16, 4, false>, 128, 16, 64, 128, 4, "
        "mixgemm::SplitKScheduler>")


@pytest.fixture
def generated(tmp_path):
    gen = tmp_path / "generated"
    (gen / "sm80").mkdir(parents=True)
    (gen / "build.ninja").write_text(
        "nvcc = /opt/cuda/bin/nvcc\n"
        "cflags = -std=c++17 -O3 -Xcompiler=-fvisibility=hidden -I../templates/include "
        "-Iinclude -I/abs/cutlass/include\n")
    (gen / "sm80" / "kernels_00.cu").write_text(
        "namespace mixgemm {\n// sm80_f16_u4_g128_m16n64k128_s4_splitk\n"
        f"using sm80_f16_u4_g128_m16n64k128_s4_splitk_t = {GEMM};\n}}\n")
    return gen


def test_compile_command_from_emitted_files(generated, tmp_path):
    name = "sm80_f16_u4_g128_m16n64k128_s4_splitk"
    cmd = timeline.compile_command(name, generated=generated, out_dir=tmp_path)
    assert cmd[0] == "/opt/cuda/bin/nvcc"
    # Relative include folders are resolved against generated/ (where ninja runs).
    assert f"-I{(generated / '../templates/include').resolve()}" in cmd
    assert f"-I{(generated / 'include').resolve()}" in cmd
    assert "-I/abs/cutlass/include" in cmd
    assert not any(f.startswith("-Xcompiler=-fvisibility") for f in cmd)
    assert cmd[-2:] == ["-o", str(tmp_path / name)]
    wrapper = (tmp_path / f"{name}.cu").read_text()
    assert f"#define TIMELINE_GEMM {GEMM}" in wrapper
    assert "#define TIMELINE_COPIES 1" in wrapper  # sm80 split-K: the copies-only reference


def test_type_override_and_stream_k(generated, tmp_path):
    other = GEMM.replace("SplitK", "StreamK")
    timeline.compile_command("sm80_x_streamk", other, generated=generated, out_dir=tmp_path)
    wrapper = (tmp_path / "sm80_x_streamk.cu").read_text()
    assert other in wrapper and "#define TIMELINE_COPIES 0" in wrapper


def test_unknown_kernel_is_an_error(generated):
    with pytest.raises(SystemExit, match="no kernel"):
        timeline.kernel_type("sm80_nope", generated)
