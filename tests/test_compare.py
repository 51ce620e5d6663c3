"""bench/compare.py on two hand-made runs."""
import importlib.util

import pytest

from conftest import ROOT

spec = importlib.util.spec_from_file_location("compare", ROOT / "bench/compare.py")
compare = importlib.util.module_from_spec(spec)
spec.loader.exec_module(compare)

HEADER = "shape,K,N,M,dtype,bits,group,kernel,heuristic,mixgemm_us,cublas_fp16_us,error\n"
K4 = "sm80_f16_u4_g128_m16n128k128_s4_splitk"


def write(path, rows):
    path.write_text(HEADER + "".join(f"{r}\n" for r in rows))
    return str(path)


def test_ratios_per_tile_and_cublas(tmp_path, capsys):
    a = write(tmp_path / "a.csv", [f"s,4096,4096,1,f16,4,128,{K4},True,10,30,",
                                   f"s,4096,4096,16,f16,4,128,{K4},True,20,40,",
                                   f"t,4096,4096,1,f16,4,128,{K4},True,10,30,"])  # not in b
    b = write(tmp_path / "b.csv", [f"s,4096,4096,1,f16,4,128,{K4},True,5,30,",
                                   f"s,4096,4096,16,f16,4,128,{K4},True,40,20,",
                                   f"s,4096,4096,64,f16,4,128,{K4},True,1,1,"])  # not in a
    table = compare.ratios(compare.read_csv(a), compare.read_csv(b), {1, 16, 64})
    assert table[("sm80_m16n128k128_s4_splitk", 4)] == [0.5, 2.0]
    assert table[("cuBLAS fp16", 0)] == [1.0, 0.5]
    assert compare.main([a, b, "--m", "1"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1].split() == ["sm80_m16n128k128_s4_splitk", "4", "1", "0.500", "0.50", "0.50"]
    assert out[2].split()[:3] == ["cuBLAS", "fp16", "1"]
    assert out[-1].split() == ["1", "4", "1", "0.500", "0.50", "0.50", "-", "-"]


def test_best_kernel_per_cell_whichever_it_is(tmp_path):
    other = "sm80_f16_u4_g128_m8n32k128_s3_p8_splitk"
    a = write(tmp_path / "a.csv", [f"s,4096,4096,1,f16,4,128,{K4},True,10,30,",
                                   f"s,4096,4096,1,f16,4,128,{other},False,8,30,"])
    b = write(tmp_path / "b.csv", [f"s,4096,4096,1,f16,4,128,{K4},True,6,30,",
                                   f"s,4096,4096,1,f16,4,128,{other},False,9,30,"])
    assert compare.best_ratios(compare.read_csv(a), compare.read_csv(b), {1}) == {(4, 1): [0.75]}


def test_no_common_kernels(tmp_path):
    a = write(tmp_path / "a.csv", [f"s,4096,4096,1,f16,4,128,{K4},True,10,30,"])
    b = write(tmp_path / "b.csv", [f"s,4096,4096,1,f16,4,128,{K4},True,,30,RuntimeError: x"])
    assert compare.main([a, b]) == 1
    assert compare.tile_of(K4) == "sm80_m16n128k128_s4_splitk"
    with pytest.raises(ValueError):
        compare.tile_of("not_a_kernel")


def test_cell_table_ranks_tiles_per_cell(tmp_path):
    import subprocess
    import sys

    csv = write(tmp_path / "a.csv", [
        f"s,64,32,1,f16,4,128,{K4},True,2.0,4.0,",
        "s,64,32,1,f16,4,128,sm80_f16_u4_g128_m8n32k128_s2_p16_splitk,False,1.0,4.0,",
        "s,64,32,1,f16,4,128,sm80_f16_u4_g128_m8n64k128_s4_splitk,False,,,no kernel",
    ])
    out = subprocess.run([sys.executable, str(ROOT / "bench/cell_table.py"), csv],
                         capture_output=True, text=True, check=True).stdout.splitlines()
    assert out[:2] == ["k0: sm80_m16n128k128_s4_splitk", "k1: sm80_m8n32k128_s2_p16_splitk"]
    assert out[-1] == "s f16 4 1 2.00 1.00 best 1.0"


def test_best_kernels_clock_where_the_runs_recorded_it(tmp_path, capsys):
    header = HEADER.replace(",error", ",sm_clock_mhz,error")
    rows_a = [f"s,4096,4096,1,f16,4,128,{K4},True,10,30,1800,",
              f"t,4096,4096,1,f16,4,128,{K4},True,10,30,1900,",
              f"u,4096,4096,1,f16,4,128,{K4},True,10,30,1850,"]
    rows_b = [r.replace("True,10,", "True,9,") for r in rows_a]
    (tmp_path / "a.csv").write_text(header + "".join(f"{r}\n" for r in rows_a))
    b = write(tmp_path / "b.csv", [r.rsplit(",", 2)[0] + "," for r in rows_b])  # no clocks
    a = str(tmp_path / "a.csv")
    assert compare.best_clocks(compare.read_csv(a), {1}) == {(4, 1): 1850}
    assert compare.best_clocks(compare.read_csv(b), {1}) == {}
    assert compare.main([a, b, "--m", "1"]) == 0
    assert capsys.readouterr().out.splitlines()[-1].split()[-2:] == ["1850", "-"]
