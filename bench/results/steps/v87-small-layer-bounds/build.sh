set -e
cd /tmp/wt
T="sm90_m64n64k256_s4_bulk_tma_pw_clusterk sm90_m64n128k256_s3_bulk_tma_pw_clusterk sm90_m64n128k128_s4_bulk_tma_pw_clusterk sm90_m64n128k256_s4_bulk_tma_pw_clusterk sm90_m64n192k128_s4_bulk_tma_pw_clusterk"
for v in base noact noweight nocopy nocompute noreduce; do
  case $v in base) f="";; noact) f="-DMIXGEMM_DIAG_NO_ACT_REFILL";; noweight) f="-DMIXGEMM_DIAG_NO_WEIGHT_REFILL";;
    nocopy) f="-DMIXGEMM_DIAG_NO_ACT_REFILL -DMIXGEMM_DIAG_NO_WEIGHT_REFILL";; nocompute) f="-DMIXGEMM_DIAG_NO_COMPUTE";; noreduce) f="-DMIXGEMM_DIAG_NO_REDUCE";; esac
  SECONDS=0
  NVCC_APPEND_FLAGS="$f" JOBS=2 bash bench/build_subset.sh /tmp/v87lib/$v "$T" 4 f16 128
  mkdir -p /work/main/.carry/v87/$v && gzip -9 -c /tmp/v87lib/$v/libmixgemm.so > /work/main/.carry/v87/$v/libmixgemm.so.gz
  cp /tmp/v87lib/$v/manifest.json /work/main/.carry/v87/$v/
  echo "built $v in ${SECONDS}s"
done
