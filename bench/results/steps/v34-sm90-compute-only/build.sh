# Built in a worktree of commit 20a0e7f at /tmp/wt with ../v27-sm90-leave-one-out/diag.patch applied
# (`patch -p0`; its hunk for the loop macros does not apply and is not needed here).
set -e
cd /tmp/wt
python3 -m codegen.cli emit --arch sm90 --bits 4 --dtype f16 --group-size 128 --name 'sm90_f16_u4_g128_m64n256k128_s4_bulk_streamk' --name 'sm90_f16_u4_g128_m128n256k128_s4_bulk_streamk' --targets sm_90 --out /tmp/dc/gen --build-dir /tmp/dc/build >/dev/null
C="-DMIXGEMM_DIAG_NO_ACT_COPY -DMIXGEMM_DIAG_NO_WEIGHT_COPY"
for v in base compute wgmmaonly unpackonly; do
  case $v in base) f="";; compute) f="$C";; wgmmaonly) f="$C -DMIXGEMM_DIAG_NO_UNPACK";; unpackonly) f="$C -DMIXGEMM_DIAG_NO_WGMMA";; esac
  rm -rf /tmp/dc/build
  NVCC_APPEND_FLAGS="$f" python3 -m codegen.cli build --out /tmp/dc/gen --build-dir /tmp/dc/build -j 2 > /tmp/dc_build_$v.log 2>&1 || { tail -20 /tmp/dc_build_$v.log; exit 1; }
  mkdir -p /work/main/.carry/diag/$v && gzip -9 -c /tmp/dc/build/libmixgemm.so > /work/main/.carry/diag/$v/libmixgemm.so.gz
  echo built $v
done
cp /tmp/dc/gen/manifest.json /work/main/.carry/diag/
