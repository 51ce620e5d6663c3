set -e
cd /work/main
N=""
for t in m64n256k128_s4_bulk_tma_streamk m64n256k128_s4_bulk_tma_splitk m64n192k128_s4_bulk_tma_streamk m128n256k128_s4_bulk_tma_streamk m128n128k128_s4_bulk_tma_streamk m128n192k128_s4_bulk_tma_streamk m64n128k128_s4_bulk_tma_streamk; do
  N="$N --name sm90_f16_u4_g128_$t --kernel sm90_f16_u4_g128_$t"
done
rm -rf /tmp/ex/pw
python3 -m codegen.cli emit --arch sm90 --bits 4 --dtype f16 --group-size 128 $N --targets sm_90 --out /tmp/ex/pw/gen --build-dir /tmp/ex/pw/build > /tmp/ex_emit_pw.log 2>&1
python3 -m codegen.cli build --out /tmp/ex/pw/gen --build-dir /tmp/ex/pw/build -j 2 > /tmp/ex_build_pw.log 2>&1; echo pw rc=$?
