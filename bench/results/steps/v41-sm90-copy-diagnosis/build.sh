# Built in a worktree of commit 8b42e7d+ (session 11) at /tmp/wt with diag_copies.patch applied
# (`git apply`). Four libraries of the same three sm90 kernels: as they are (base), without the
# activation copies (noact), without the weight and scale copies (noweight), without either
# (nocopy). A copy left out still arrives on the stage's barrier, with 0 bytes, so the K loop
# runs as before on whatever the stage held.
set -e
cd /tmp/wt
K="sm90_f16_u4_g128_m64n256k128_s4_bulk_tma_pw_streamk sm90_f16_u4_g128_m128n192k128_s4_bulk_tma_pw_streamk sm90_f16_u4_g128_m128n256k128_s4_bulk_tma_streamk"
python3 -m codegen.cli emit --arch sm90 --bits 4 --dtype f16 --group-size 128 $(for k in $K; do echo --name $k; done) \
  --targets sm_90 --out /tmp/dg/gen --build-dir /tmp/dg/build >/dev/null
for v in base noact noweight nocopy; do
  case $v in base) f="";; noact) f="-DMIXGEMM_DIAG_NO_ACT_COPY";; noweight) f="-DMIXGEMM_DIAG_NO_WEIGHT_COPY";;
    nocopy) f="-DMIXGEMM_DIAG_NO_ACT_COPY -DMIXGEMM_DIAG_NO_WEIGHT_COPY";; esac
  rm -rf /tmp/dg/build
  NVCC_APPEND_FLAGS="$f" python3 -m codegen.cli build --out /tmp/dg/gen --build-dir /tmp/dg/build -j 2 > /tmp/dg_build_$v.log 2>&1 || { tail -20 /tmp/dg_build_$v.log; exit 1; }
  mkdir -p /work/main/.carry/diag2/$v && xz -T2 -9 -c /tmp/dg/build/libmixgemm.so > /work/main/.carry/diag2/$v/libmixgemm.so.xz
  echo built $v
done
cp /tmp/dg/gen/manifest.json /work/main/.carry/diag2/
