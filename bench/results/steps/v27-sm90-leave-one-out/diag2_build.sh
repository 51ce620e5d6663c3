set -e
cd /tmp/diagtree
python3 -m codegen.cli emit --arch sm90 --bits 3,4 --dtype f16 --group-size 128 --name 'sm90_f16_u4_g128_m64n256k128_s4_bulk_streamk' --name 'sm90_f16_u4_g128_m128n256k128_s4_bulk_streamk' --name 'sm90_f16_u3_g128_m64n256k128_s4_bulk_streamk' --targets sm_90 --out /tmp/diag2/gen --build-dir /tmp/diag2/build >/dev/null
N="-DMIXGEMM_DIAG_NO_UNPACK -DMIXGEMM_DIAG_NO_WGMMA"
for v in noact noweights nocopies base_noact; do
  case $v in noact) f="$N -DMIXGEMM_DIAG_NO_ACT_COPY";; noweights) f="$N -DMIXGEMM_DIAG_NO_WEIGHT_COPY";; nocopies) f="$N -DMIXGEMM_DIAG_NO_ACT_COPY -DMIXGEMM_DIAG_NO_WEIGHT_COPY";; base_noact) f="-DMIXGEMM_DIAG_NO_ACT_COPY";; esac
  rm -rf /tmp/diag2/build
  NVCC_APPEND_FLAGS="$f" python3 -m codegen.cli build --out /tmp/diag2/gen --build-dir /tmp/diag2/build -j 2 > /tmp/diag2_build_$v.log 2>&1
  mkdir -p /work/main/.carry/diag/$v && cp /tmp/diag2/build/libmixgemm.so /work/main/.carry/diag/$v/
  echo built $v
done
