set -e
cd /work/main
python3 -m codegen.cli emit --arch sm90 --bits 3,4 --dtype f16 --group-size 128 --name 'sm90_f16_u?_g128_*' --targets sm_90 --out /tmp/batch/gen --build-dir /tmp/batch/build | tail -1
for v in 1 2 4; do
  rm -rf /tmp/batch/build
  NVCC_APPEND_FLAGS="-DMIXGEMM_SM90_STEPS_PER_BATCH=$v" python3 -m codegen.cli build --out /tmp/batch/gen --build-dir /tmp/batch/build -j 2 > /tmp/batch/build_$v.log 2>&1 || { tail -30 /tmp/batch/build_$v.log; exit 1; }
  mkdir -p /work/main/.carry/batch/b$v && cp /tmp/batch/build/libmixgemm.so /work/main/.carry/batch/b$v/ && cp -r /tmp/batch/build/obj /tmp/batch/obj_b$v
  grep -i "spill\|serializ" /tmp/batch/build_$v.log | grep -v " 0 bytes spill" | head -5
  echo built $v
done
cp /tmp/batch/gen/manifest.json /work/main/.carry/batch/
