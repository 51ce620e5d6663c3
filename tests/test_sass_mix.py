"""bench/sass_mix.py on a hand-written SASS listing (no cuobjdump needed)."""
import importlib.util

from conftest import ROOT

spec = importlib.util.spec_from_file_location("sass_mix", ROOT / "bench/sass_mix.py")
sass_mix = importlib.util.module_from_spec(spec)
spec.loader.exec_module(sass_mix)

SASS = """
        Function : _Z6kernelv
        /*0000*/                   MOV R1, c[0x0][0x28] ;
        /*0010*/                   LOP3.LUT R2, R3, 0xf, RZ, 0xc0, !PT ;
        /*0020*/                   HMMA.16816.F32 R4, R8, R12, R4 ;
        /*0030*/                   SHF.R.U32.HI R3, RZ, 0x4, R3 ;
        /*0040*/               @P0 BRA 0x20 ;
        /*0050*/                   HADD2 R5, R6, R7 ;
        /*0060*/                   LDS.128 R8, [R2] ;
        /*0070*/              @!P1 BRA 0x10 ;
        /*0080*/                   EXIT ;
"""


def test_finds_the_inner_mma_loop_and_counts_by_unit():
    code = sass_mix.functions(SASS)["_Z6kernelv"]
    loop = sass_mix.main_loop(code)  # 0x20..0x40: the inner loop; 0x10..0x70 encloses it
    assert [sass_mix.opcode(i) for _, i in loop] == ["HMMA", "SHF", "BRA"]
    every_warp, copier = sass_mix.split_copier(loop)
    assert copier == []
    assert sass_mix.mix(every_warp) == {"tensor": 1, "alu": 1, "other": 1, "all": 3}


COPIER_SASS = """
        Function : _Z6kernelv
        /*0000*/                   MOV R1, c[0x0][0x28] ;
        /*0010*/                   HGMMA.64x64x16.F32 R24, R60, gdesc[UR16], R24 ;
        /*0020*/                   BSSY B0, 0x60 ;
        /*0030*/               @P1 BRA 0x50 ;
        /*0040*/                   UBLKCP.S.G [UR22], [UR38], UR52 ;
        /*0050*/                   BSYNC B0 ;
        /*0060*/                   LDGSTS.E.BYPASS.LTC128B.128 [R61], desc[UR24][R8.64], P4 ;
        /*0070*/               @P0 BRA 0x10 ;
        /*0080*/                   EXIT ;
"""


def test_leaves_out_the_branch_only_the_bulk_copy_warp_runs():
    loop = sass_mix.main_loop(sass_mix.functions(COPIER_SASS)["_Z6kernelv"])
    every_warp, copier = sass_mix.split_copier(loop)
    assert [sass_mix.opcode(i) for i in every_warp] == ["HGMMA", "LDGSTS", "BRA"]
    assert [sass_mix.opcode(i) for i in copier] == ["BSSY", "BRA", "UBLKCP", "BSYNC"]


def test_names_the_kernel_as_the_manifest_does():
    cfg = sass_mix.config_of(
        "void mixgemm::gemm_kernel<mixgemm::Sm80Gemm<mixgemm::F16, mixgemm::UniformUnpacker<"
        "mixgemm::F16, 3, false>, 0, 16, 128, 256, 3, mixgemm::StreamKScheduler> >"
        "(mixgemm::GemmParams)")
    assert cfg.name == "sm80_f16_u3_gch_m16n128k256_s3_streamk"
    assert sass_mix.words_per_thread(cfg) == 256 * 128 * 3 / 32 / 128
    # 16 x 128 x 256 over 4 warps: 64 mma.m16n8k16 per warp and slice
    assert sass_mix.slices_per_iteration(["HMMA.16816.F32"] * 192, cfg) == 3


def test_names_sm90_kernels_with_either_weight_copy():
    base = ("void mixgemm::gemm_kernel<mixgemm::Sm90Gemm<mixgemm::F16, mixgemm::UniformUnpacker<"
            "mixgemm::F16, 4, true>, 128, 64, 256, 128, 4, mixgemm::StreamKScheduler, {}> >"
            "(mixgemm::GemmParams)")
    assert sass_mix.config_of(base.format("true")).name == (
        "sm90_f16_u4_g128_m64n256k128_s4_bulk_streamk")
    assert sass_mix.config_of(base.format("false")).name == (
        "sm90_f16_u4_g128_m64n256k128_s4_streamk")
    # With TMA activations both flags are spelled out.
    assert sass_mix.config_of(base.format("true, true")).name == (
        "sm90_f16_u4_g128_m64n256k128_s4_bulk_tma_streamk")
    assert sass_mix.config_of(base.format("true, false")).name == (
        "sm90_f16_u4_g128_m64n256k128_s4_bulk_streamk")
