set -e
cd /tmp/diagtree
python3 -m codegen.cli emit --arch sm90 --bits 3,4 --dtype f16 --group-size 128 --name 'sm90_f16_u4_g128_m64n256k128_s4_bulk_streamk' --name 'sm90_f16_u4_g128_m128n256k128_s4_bulk_streamk' --name 'sm90_f16_u3_g128_m64n256k128_s4_bulk_streamk' --targets sm_90 --out /tmp/diag/gen --build-dir /tmp/diag/build >/dev/null
for v in base nounpack nowgmma neither; do
  case $v in base) f="";; nounpack) f="-DMIXGEMM_DIAG_NO_UNPACK";; nowgmma) f="-DMIXGEMM_DIAG_NO_WGMMA";; neither) f="-DMIXGEMM_DIAG_NO_UNPACK -DMIXGEMM_DIAG_NO_WGMMA";; esac
  rm -rf /tmp/diag/build
  NVCC_APPEND_FLAGS="$f" python3 -m codegen.cli build --out /tmp/diag/gen --build-dir /tmp/diag/build -j 2 > /tmp/diag/build_$v.log 2>&1
  mkdir -p /work/main/.carry/diag/$v && cp /tmp/diag/build/libmixgemm.so /work/main/.carry/diag/$v/
  echo built $v
done
