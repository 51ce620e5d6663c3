"""CPU tests of mixgemm.bench: the pure helpers with hand-computed values, and run() driven
end to end with fakes standing in for the GPU, the library and the timer."""

from __future__ import annotations

import csv
import math

import pytest
import torch

import mixgemm
from mixgemm import bench, clocks


def _row(shape="a", M=1, speedup=2.0, heuristic=True, error=None, dtype="f16", bits=4,
         group=128, anchor=None, kernel="k1"):
    return dict(gpu="G", shape=shape, K=4096, N=4096, M=M, dtype=dtype, bits=bits, group=group,
                kernel=kernel, heuristic=heuristic, mixgemm_us=10.0, cublas_fp16_us=10.0 * speedup,
                cublas_us=10.0 * speedup, roofline_us=5.0, bandwidth_gbs=2000.0,
                speedup_vs_cublas_fp16=None if error else speedup,
                fraction_of_roofline=None if error else 0.5,
                cublas_fraction_of_fp16_roofline=None if error else 0.9,
                anchor_marlin_speedup=anchor, copies=3, error=error)


def test_read_shapes(tmp_path):
    p = tmp_path / "shapes.csv"
    p.write_text("model,layer,K,N\nllama3-70b,gate_up_proj,8192,57344\nm,o_proj,4096,4096\n")
    assert bench.read_shapes(p) == [
        {"shape": "llama3-70b_gate_up_proj", "K": 8192, "N": 57344},
        {"shape": "m_o_proj", "K": 4096, "N": 4096},
    ]


def test_roofline_bytes_by_hand():
    # 4096*4096 codes at 4 bits = 8388608; 32 groups * 4096 fp16 scales = 262144;
    # A 16*4096*2 = 131072; C 16*4096*2 = 131072
    assert bench.roofline_bytes(4096, 4096, 16, 4, 128) == 8912896
    # per channel, 3 bits, M=1: 6291456 + 1*4096*2 + 4096*2 + 4096*2
    assert bench.roofline_bytes(4096, 4096, 1, 3, 0) == 6316032
    assert bench.fp16_roofline_bytes(4096, 4096, 16) == 33554432 + 131072 + 131072


def test_geomean():
    assert bench.geomean([1.0, 4.0]) == pytest.approx(2.0)
    assert bench.geomean([2.0, None, 8.0, float("nan")]) == pytest.approx(4.0)
    assert bench.geomean([]) is None
    assert bench.geomean([None]) is None


def test_n_copies():
    mib, gib = 2**20, 2**30
    assert bench.n_copies(10 * mib, 50 * mib, 80 * gib) == 21  # 21 * 10 > 200 MiB, 20 * 10 is not
    assert bench.n_copies(100 * mib, 50 * mib, 80 * gib) == 3
    assert bench.n_copies(1 * gib, 50 * mib, 80 * gib) == 2  # at least 2
    assert bench.n_copies(10 * mib, 50 * mib, 100 * mib) == 6  # capped to 60% of free memory
    assert bench.n_copies(10 * mib, 50 * mib, 1 * mib) == 2


def test_finish_row():
    row = dict(K=4096, N=4096, M=16, bits=4, group=128, mixgemm_us=10.0, cublas_fp16_us=30.0)
    bench.finish_row(row, 2e12, {(4096, 4096, 16): 1.8})
    assert row["bandwidth_gbs"] == pytest.approx(2000.0)
    assert row["roofline_us"] == pytest.approx(8912896 / 2e12 * 1e6)
    assert row["speedup_vs_cublas_fp16"] == pytest.approx(3.0)
    assert row["fraction_of_roofline"] == pytest.approx(8912896 / 2e12 * 1e6 / 10.0)
    assert row["cublas_fraction_of_fp16_roofline"] == pytest.approx(33816576 / 2e12 * 1e6 / 30)
    assert row["anchor_marlin_speedup"] == 1.8
    err = bench.finish_row(dict(K=64, N=16, M=1, bits=4, group=0, error="x"), 1e12, {})
    assert err["speedup_vs_cublas_fp16"] is None and err["anchor_marlin_speedup"] is None
    assert err["roofline_us"] > 0


def test_load_anchors(tmp_path):
    p = tmp_path / "a.csv"
    p.write_text("shape,K,N,M,cublas_fp16_us,marlin_int4_g128_us,marlin_speedup_vs_fp16\n"
                 "x,4096,6144,1,23.5,12.4,1.90\nx,4096,6144,16,21.6,11.9,1.82\n"
                 "y,8192,8192,1,40,20,\n")
    assert bench.load_anchors(p) == {(4096, 6144, 1): 1.90, (4096, 6144, 16): 1.82}


def test_shared_anchor_file_matches_shapes():
    if not bench.DEFAULT_ANCHORS.exists() or not bench.DEFAULT_SHAPES.exists():
        pytest.skip("no ../shared checkout")
    anchors = bench.load_anchors(bench.DEFAULT_ANCHORS)
    for s in bench.read_shapes(bench.DEFAULT_SHAPES):
        assert (s["K"], s["N"], 1) in anchors, s


def test_parse_groups_and_args():
    assert bench.parse_groups("128,ch,64") == [128, 0, 64]
    args = bench.parse_args([])
    assert args.m == "1,4,8,16,32,64,128,256" and args.replays == 20 and not args.all_kernels
    assert bench.parse_args(["--anchors", "none"]).anchors is None
    with pytest.raises(SystemExit):
        bench.parse_args(["--dtype", "f32"])


def test_gpu_slug():
    assert bench.gpu_slug("NVIDIA H100 80GB HBM3") == "nvidia-h100-80gb-hbm3"


def test_summarize():
    rows = [
        _row("a", 1, 2.0, anchor=1.5), _row("b", 1, 8.0, anchor=6.0),
        _row("a", 1, 16.0, heuristic=False, kernel="k2"),  # a better non-heuristic kernel
        _row("a", 16, 1.0), _row("b", 16, error="MixgemmError: no kernel"),
        _row("a", 1, 3.0, bits=3, group=0),
    ]
    s = bench.summarize(rows)
    assert [(x["format"], x["M"]) for x in s] == [
        ("f16 int3 ch", 1), ("f16 int4 g128", 1), ("f16 int4 g128", 16)]
    m1 = s[1]
    assert m1["shapes"] == 2
    assert m1["speedup"] == pytest.approx(4.0)
    assert m1["fraction_of_roofline"] == pytest.approx(0.5)
    assert m1["cublas_fraction"] == pytest.approx(0.9)
    assert m1["anchor_marlin_speedup"] == pytest.approx(3.0)
    assert m1["best_speedup"] == pytest.approx(math.sqrt(16 * 8))
    assert s[2]["shapes"] == 1 and s[2]["speedup"] == pytest.approx(1.0)
    assert s[0]["speedup"] == pytest.approx(3.0) and s[0]["anchor_marlin_speedup"] is None


def test_format_table():
    rows = [_row("llama3-8b_o_proj", 1, 2.5, anchor=1.9), _row("b", 16, error="MixgemmError: boom"),
            _row("c", 1, 9.0, heuristic=False)]
    text = bench.format_table(rows, bench.summarize(rows))
    lines = text.splitlines()
    for col in ("format", "shape", "M", "mixgemm_us", "cublas_fp16_us", "speedup", "roofline",
                "marlin"):
        assert col in lines[0]
    body = [ln for ln in lines if "llama3-8b_o_proj" in ln]
    assert len(body) == 1 and "2.50" in body[0] and "1.90" in body[0] and "25.00" in body[0]
    assert any("error: MixgemmError: boom" in ln for ln in lines)
    assert not any(ln.startswith("f16 int4 g128") and " c " in ln for ln in lines)  # heuristic only
    assert "geometric means" in text
    assert lines[-1].split()[:4] == ["f16", "int4", "g128", "16"]


def test_write_csv(tmp_path):
    p = tmp_path / "bench.csv"
    bench.write_csv([_row(), _row(error="E")], p)
    with open(p, newline="") as f:
        reader = csv.DictReader(f)
        got = list(reader)
    assert reader.fieldnames == bench.COLUMNS
    assert got[0]["speedup_vs_cublas_fp16"] == "2" and got[0]["anchor_marlin_speedup"] == ""
    assert got[1]["error"] == "E" and got[1]["speedup_vs_cublas_fp16"] == ""


def test_csv_readers_take_xz(tmp_path):
    """Older step results are kept as .csv.xz: the benchmark's reader and codegen.tune read
    them as they are."""
    import lzma

    from codegen import tune
    plain = tmp_path / "bench.csv"
    bench.write_csv([_row()], plain)
    packed = tmp_path / "bench.csv.xz"
    packed.write_bytes(lzma.compress(plain.read_bytes()))
    assert bench.read_csv(packed) == bench.read_csv(plain)
    assert tune.load([packed]) == tune.load([plain])


def test_resummarize_marks_what_the_shipped_heuristic_picks(tmp_path, capsys):
    from codegen import heuristic
    from codegen.config import parse_name

    small, decode = "sm80_f16_u4_g128_m64n128k64_s4_streamk", "sm80_f16_u4_g128_m16n128k128_s4_streamk"
    rows = [_row("a", M, kernel=k, heuristic=(k == small)) for M in (1, 256) for k in (small, decode)]
    p = tmp_path / "bench.csv"
    bench.write_csv(rows, p)
    back = bench.read_csv(p)
    assert back[0]["M"] == 1 and back[0]["mixgemm_us"] == 10.0 and back[0]["heuristic"] is True
    assert bench.main(["--resummarize", str(p)]) == 0
    for r in bench.read_csv(p):  # what codegen.heuristic.choose picks among the timed kernels
        configs = [parse_name(small), parse_name(decode)]
        pick = heuristic.choose(configs, r["M"], r["N"], r["K"], "f16", 4, 128)
        assert r["heuristic"] == (r["kernel"] == pick.name)
    assert (tmp_path / "summary.md").exists() and "geometric means" in capsys.readouterr().out


def test_summary_md():
    md = bench.summary_md(bench.summarize([_row("a", 1, 4.0)]), "GPU X", 3e12)
    assert "GPU X" in md and "3000 GB/s" in md and "| f16 int4 g128 | 1 | 1 | 4.00x |" in md
    assert md.rstrip().endswith("| - / - |")  # no clock readings
    clocked = [dict(_row(s, 1, 4.0), sm_clock_mhz=c, cublas_fp16_sm_clock_mhz=1980.0)
               for s, c in (("a", 1800.0), ("b", 1850.0), ("c", 1900.0))]
    assert bench.summary_md(bench.summarize(clocked), "G", 1e12).rstrip().endswith(
        "| 1850 / 1980 |")


def test_plot_writes_png(tmp_path):
    pytest.importorskip("matplotlib")
    rows = [_row(s, m, 1.0 + m / 64, anchor=2.0) for s in ("a", "b", "c") for m in (1, 16, 64)]
    rows.append(_row("a", 4, error="E"))
    p = tmp_path / "speedup.png"
    bench.plot(rows, p)
    assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_col_blocks():
    assert bench.col_blocks(64, 128, max_elems=128 * 32) == [32, 32]
    assert bench.col_blocks(80, 128, max_elems=128 * 32) == [32, 32, 16]
    assert bench.col_blocks(57344, 8192) == [8192] * 7
    assert all(b % 16 == 0 for b in bench.col_blocks(28672, 14336))


@pytest.mark.parametrize("bits,group", [(4, 128), (3, 0)])
def test_quantize_pack_in_blocks_equals_whole(bits, group):
    torch.manual_seed(1)
    w = torch.randn(128, 80)
    whole = mixgemm.pack(mixgemm.quantize(w, bits, group, scale_dtype=torch.float16))
    joined = bench.quantize_pack(w.split(16, dim=1), bits, group, torch.float16)
    assert torch.equal(joined.data, whole.data) and torch.equal(joined.scales, whole.scales)
    assert (joined.k, joined.n, joined.bits, joined.group_size) == (128, 80, bits, group)


def test_run_with_fakes(tmp_path, monkeypatch, capsys):
    """run() end to end on CPU: the GPU, the library and the timer replaced by fakes."""
    shapes = tmp_path / "shapes.csv"
    shapes.write_text("model,layer,K,N\nm,a,128,64\nm,b,256,32\nm,c,512,512\n")
    anchors = tmp_path / "anchors.csv"
    anchors.write_text("shape,K,N,M,marlin_speedup_vs_fp16\nx,128,64,16,2.5\n")
    seen = {"ptrs": set(), "forced": []}

    def fake_gemm(a, w, kernel=None):
        seen["mix"] = True
        seen["ptrs"].add(w.data.data_ptr())
        seen["forced"].append(kernel)
        return a.new_empty(a.shape[0], w.n)

    def fake_select(m, n, k, dtype, bits, group):
        if m == 64:
            raise mixgemm.MixgemmError(3, "no kernel", f"M={m}")
        return "heur_kernel"

    def fake_time_graph(calls, replays, clocks=None):
        seen["mix"], seen["ptrs"] = False, set()
        for c in calls:
            c()
        if clocks is not None:  # the clock readings cover the measurement
            with clocks:
                pass
        if seen["mix"]:
            assert len(seen["ptrs"]) == len(calls) >= 2  # distinct copies, rotated
            return 10.0
        return 30.0

    catalog = [dict(name=n, act="f16", bits=4, group=128) for n in ("heur_kernel", "other")]
    catalog.append(dict(name="bf16_kernel", act="bf16", bits=4, group=128))
    monkeypatch.setattr(bench, "DEVICE", "cpu")
    monkeypatch.setattr(bench, "time_graph", fake_time_graph)
    monkeypatch.setattr(bench, "measure_bandwidth", lambda: 1e12)
    from test_clocks import FakeNvml
    readings = FakeNvml(mhz=[1800] * 10**4, mw=[650000] * 10**4)  # one reading per window
    monkeypatch.setattr(bench, "clock_sampler", lambda: clocks.ClockSampler(
        clocks.Nvml("b", readings), period=3600))
    monkeypatch.setattr(bench, "l2_bytes", lambda: 64 * 1024)
    monkeypatch.setattr(torch.cuda, "get_device_name", lambda *a: "Fake GPU 1")
    monkeypatch.setattr(torch.cuda, "mem_get_info", lambda *a: (2**30, 2**31))
    monkeypatch.setattr(torch.cuda, "empty_cache", lambda: None)
    monkeypatch.setattr(mixgemm, "gemm", fake_gemm)
    monkeypatch.setattr(mixgemm, "select_kernel", fake_select)
    monkeypatch.setattr(mixgemm, "kernels", lambda: catalog)

    out = tmp_path / "out"
    args = bench.parse_args(["--shapes", str(shapes), "--quick", "--all-kernels", "--out", str(out),
                             "--anchors", str(anchors), "--group-size", "128,96"])
    rows = bench.run(args)

    # The plot needs matplotlib (the `bench` extra); without it the run says so and goes on.
    try:
        import matplotlib  # noqa: F401
        plot = {"speedup.png"}
    except ImportError:
        plot = set()
    assert {p.name for p in out.iterdir()} == {"bench.csv", "summary.md"} | plot
    assert {r["shape"] for r in rows} == {"m_a", "m_b"}  # --quick: first 2 shapes
    assert sorted({r["M"] for r in rows}) == [1, 16, 64]
    ok = [r for r in rows if not r.get("error")]
    # group 128, per shape: both f16 kernels at M 1, 16, 64 (at 64 the heuristic fails, but
    # --all-kernels still times both, as non-heuristic rows); bf16_kernel never (wrong act)
    assert len(ok) == 2 * 6 and {r["kernel"] for r in ok} == {"heur_kernel", "other"}
    assert all(r["speedup_vs_cublas_fp16"] == pytest.approx(3.0) for r in ok)
    assert all(r["sm_clock_mhz"] == 1800 and r["power_w"] == pytest.approx(650.0)
               and r["cublas_fp16_sm_clock_mhz"] == 1800 for r in ok)
    assert all(r["heuristic"] == (r["kernel"] == "heur_kernel" and r["M"] != 64) for r in ok)
    # the heuristic's row goes through kernel=None (the users' path); others are forced by name
    # (heur_kernel too at M=64, where the heuristic raised)
    assert set(seen["forced"]) == {None, "other", "heur_kernel"}
    errs = [r for r in rows if r.get("error")]
    assert any("MixgemmError" in r["error"] and r["M"] == 64 and r["group"] == 128 for r in errs)
    assert any(r["group"] == 96 for r in errs)  # 96 does not divide K=128: error rows, no crash
    anchored = [r for r in ok if r["anchor_marlin_speedup"] is not None]
    assert {(r["shape"], r["M"]) for r in anchored} == {("m_a", 16)}
    with open(out / "bench.csv", newline="") as f:
        assert len(list(csv.DictReader(f))) == len(rows)
    # --kernels narrows the other kernels timed; the heuristic's pick stays
    only = bench.run(bench.parse_args(["--shapes", str(shapes), "--quick", "--all-kernels",
                                       "--kernels", "heur*,nothing*", "--out", str(out),
                                       "--anchors", "none"]))
    assert {r["kernel"] for r in only if not r.get("error")} == {"heur_kernel"}
    stdout = capsys.readouterr().out.rstrip().splitlines()
    assert stdout[-1].split() == ["f16", "int4", "g128", "64", "0", "-", "-", "-", "-", "3.00"]
    assert any(ln.startswith("geometric means") for ln in stdout[-8:])


@pytest.mark.parametrize("value, on", [(None, False), ("0", False), ("1", True), (" 2x", True),
                                       ("yes", False), ("", False)])
def test_pdl_enabled_reads_the_variable_as_the_library_does(monkeypatch, value, on):
    if value is None:
        monkeypatch.delenv("MIXGEMM_PDL", raising=False)
    else:
        monkeypatch.setenv("MIXGEMM_PDL", value)
    assert bench.pdl_enabled() is on
