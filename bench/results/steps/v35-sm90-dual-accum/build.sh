set -e
cd /work/main
N=""
for t in m64n256k128_s4_bulk_tma_streamk m64n256k128_s4_bulk_tma_splitk m64n192k128_s4_bulk_tma_streamk m128n256k128_s4_bulk_tma_streamk m128n128k128_s4_bulk_tma_streamk m128n192k128_s4_bulk_tma_streamk m64n128k128_s4_bulk_tma_streamk; do
  N="$N --name sm90_f16_u4_g128_$t --kernel sm90_f16_u4_g128_$t"
done
for v in x1 x2; do
  python3 -m codegen.cli emit --arch sm90 --bits 4 --dtype f16 --group-size 128 $N --targets sm_90 --out /tmp/ex/$v/gen --build-dir /tmp/ex/$v/build > /tmp/ex_emit_$v.log 2>&1
done
( NVCC_APPEND_FLAGS="-DMIXGEMM_SM90_ACCUM_CHAINS=1" python3 -m codegen.cli build --out /tmp/ex/x1/gen --build-dir /tmp/ex/x1/build -j 1 > /tmp/ex_build_x1.log 2>&1; echo x1 rc=$? ) &
( NVCC_APPEND_FLAGS="-DMIXGEMM_SM90_ACCUM_CHAINS=2" python3 -m codegen.cli build --out /tmp/ex/x2/gen --build-dir /tmp/ex/x2/build -j 1 > /tmp/ex_build_x2.log 2>&1; echo x2 rc=$? ) &
wait
