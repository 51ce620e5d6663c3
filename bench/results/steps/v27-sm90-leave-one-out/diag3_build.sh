set -e
cd /tmp/diagtree
N="-DMIXGEMM_DIAG_NO_UNPACK -DMIXGEMM_DIAG_NO_WGMMA -DMIXGEMM_DIAG_NO_ACT_COPY -DMIXGEMM_DIAG_NO_WEIGHT_COPY"
for v in nc_nofence nc_nosync nc_nowgsync nc_nocompute nc_noloop base_nofence; do
  case $v in nc_nofence) f="$N -DMIXGEMM_DIAG_NO_FENCE";; nc_nosync) f="$N -DMIXGEMM_DIAG_NO_SYNC";; nc_nowgsync) f="$N -DMIXGEMM_DIAG_NO_WGSYNC";; nc_nocompute) f="$N -DMIXGEMM_DIAG_NO_COMPUTE";; nc_noloop) f="$N -DMIXGEMM_DIAG_NO_LOOP";; base_nofence) f="-DMIXGEMM_DIAG_NO_FENCE";; esac
  rm -rf /tmp/diag2/build
  NVCC_APPEND_FLAGS="$f" python3 -m codegen.cli build --out /tmp/diag2/gen --build-dir /tmp/diag2/build -j 2 > /tmp/diag3_build_$v.log 2>&1 || { tail -20 /tmp/diag3_build_$v.log; exit 1; }
  mkdir -p /work/main/.carry/diag/$v && cp /tmp/diag2/build/libmixgemm.so /work/main/.carry/diag/$v/
  echo built $v
done
