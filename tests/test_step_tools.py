"""bench/best_new_tiles.py and bench/table_tiles.py, the helpers of the benchmark-step scripts
(bench/time_candidates.sh, bench/table_bench.sh), without a GPU."""
import importlib.util
import subprocess
import sys

from conftest import ROOT

from codegen import catalog
from codegen.config import parse_name
from codegen.enums import Arch


def load(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / f"bench/{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_best_new_tiles_compares_the_best_of_each_side(tmp_path, capsys):
    best_new = load("best_new_tiles")
    old, new = "sm80_f16_u4_g128_m16n128k128_s4_splitk", "sm80_f16_u4_g128_m16n64k256_s2_p4_splitk"
    (tmp_path / "new.txt").write_text("sm80_m16n64k256_s2_p4_splitk\n")
    csv = tmp_path / "bench.csv"
    csv.write_text("shape,M,dtype,bits,kernel,mixgemm_us,error\n"
                   f"a,16,f16,4,{old},10,\na,16,f16,4,{new},8,\n"  # new wins by 20%
                   f"b,16,f16,4,{old},10,\nb,16,f16,4,{new},12,\n"  # old wins
                   f"c,16,f16,4,{new},1,\n")  # no old tile timed: not a comparison
    best_new.main(str(tmp_path / "new.txt"), [str(csv)])
    out = capsys.readouterr().out
    assert "(0.800)" in out and "'b')" not in out  # only cells a new tile wins
    assert f"('f16', '4', 16): {0.8 ** 0.5:.3f} over 2 shapes" in out
    assert "{'sm80_m16n64k256_s2_p4_splitk': 1}" in out


def test_table_tiles_are_catalog_tiles():
    out = subprocess.run([sys.executable, str(ROOT / "bench/table_tiles.py")], check=True,
                         capture_output=True, text=True).stdout.split()
    assert out
    names = {c.name for arch in Arch for c in catalog.catalog(arch, bits=(4,), groups=(128,),
                                                             dtypes=None)}
    for tile in out:  # as bench/build_subset.sh expands a tile into a kernel name
        family, rest = tile.split("_", 1)
        kernel = f"{family}_f16_u4_g128_{rest}"
        assert parse_name(kernel).name == kernel and kernel in names
