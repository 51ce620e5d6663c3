"""bench/occupancy.py: blocks per SM by registers and shared memory (no GPU, no cuobjdump)."""
import importlib.util
import shutil

import pytest
from conftest import ROOT

spec = importlib.util.spec_from_file_location("occupancy", ROOT / "bench/occupancy.py")
occupancy = importlib.util.module_from_spec(spec)
spec.loader.exec_module(occupancy)

# The kernel of v93: 9 warps, 90 KB of shared memory (two blocks per SM by shared memory).
MANGLED = ("_ZN7mixgemm15gemm_kernel_tmaINS_8Sm90GemmINS_3F16ENS_15UniformUnpackerIS2_Li3ELb0EEE"
           "Li128ELi32ELi128ELi256ELi3ENS_22ClusterSplitKSchedulerELb1ELb1ELb1EEEEEvNS_13Tma"
           "GemmParamsE")


def test_registers_are_allocated_per_sub_partition():
    # 2 blocks x 9 warps put 5 warps on a sub-partition: 5 x 3328 > 16384 at 98 registers.
    assert occupancy.blocks_by_registers(96, 288) == 2
    assert occupancy.blocks_by_registers(98, 288) == 1
    assert occupancy.registers_for(2, 288) == 96
    # Whole warps per sub-partition: the per-SM count is the same.
    assert occupancy.blocks_by_registers(128, 64) == 8
    assert occupancy.blocks_by_registers(128, 128) == 4
    assert occupancy.blocks_by_registers(255, 128) == 2
    assert occupancy.blocks_by_registers(255, 256) == 1
    assert occupancy.blocks_by_smem(90176) == 2 and occupancy.blocks_by_smem(200000) == 1


@pytest.mark.skipif(shutil.which("c++filt") is None, reason="needs c++filt")
def test_flags_a_kernel_whose_registers_undercut_its_hint():
    def usage(regs):
        return f" Function {MANGLED}:\n  REG:{regs} STACK:0 SHARED:1024 LOCAL:0\n"

    (row,) = occupancy.rows(usage(98), [])
    assert row["kernel"] == "sm90_f16_u3_g128_m32n128k256_s3_bulk_tma_pw_clusterk"
    assert (row["threads"], row["by_registers"], row["by_smem"], row["hinted"]) == (288, 1, 2, 2)
    (row,) = occupancy.rows(usage(96), [])
    assert row["by_registers"] == 2


def test_hint_rule_matches_the_template():
    from codegen.config import parse_name
    hinted = {"sm90_f16_u3_g128_m32n128k256_s3_bulk_tma_pw_clusterk": 2,   # 288 threads: 96
              "sm90_f16_u4_g128_m32n64k256_s4_bulk_tma_pw_clusterk": 2,    # 160 threads: 168
              "sm90_f16_u4_g128_m32n256k128_s4_bulk_tma_pw_streamk": 0,    # 544 threads: 48
              "sm90_f16_u4_g128_m64n256k128_s4_bulk_tma_pw_streamk": 0,    # 1 block by smem
              "sm80_f16_u4_g128_m8n32k128_s3_p8_splitk": 0}                # not checked
    for name, blocks in hinted.items():
        assert occupancy.hinted_blocks(parse_name(name)) == blocks, name
