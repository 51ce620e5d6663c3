set -e
cd /tmp/diagtree
K=""
for b in 4 3; do
 for t in m64n256k128_s5 m64n256k128_s6 m128n256k64_s6 m128n256k64_s8 m256n128k64_s6; do
  K="$K --kernel sm90_f16_u${b}_g128_${t}_bulk_streamk"
 done
done
python3 -m codegen.cli emit --arch sm90 --bits 3,4 --dtype f16 --group-size 128 --name 'sm90_f16_u?_g128_*_bulk_streamk' $K --targets sm_90 --out /tmp/cand/gen --build-dir /tmp/cand/build | tail -1
for v in base prefetchall; do
  case $v in base) f="";; prefetchall) f="-DMIXGEMM_DIAG_PREFETCH_ALL";; esac
  rm -rf /tmp/cand/build
  NVCC_APPEND_FLAGS="$f" python3 -m codegen.cli build --out /tmp/cand/gen --build-dir /tmp/cand/build -j 2 > /tmp/cand/build_$v.log 2>&1
  mkdir -p /work/main/.carry/cand/$v && cp /tmp/cand/build/libmixgemm.so /work/main/.carry/cand/$v/
  grep -i spill /tmp/cand/build_$v.log | grep -v " 0 bytes spill" | head -3
  echo built $v
done
