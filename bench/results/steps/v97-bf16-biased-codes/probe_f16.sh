set -uo pipefail
export PYTHONPATH="$PWD:$PWD/python" PYTHONUNBUFFERED=1
python3 -m pip install -q --no-deps .whl/nvidia_cutlass-*.whl > /dev/null 2>&1
S=bench/results/steps/v97-bf16-biased-codes
bash bench/build_subset.sh build/probe "$(cat $S/tiles.txt)" "4" "f16" "128" || exit 1
export MIXGEMM_LIBRARY=build/probe/libmixgemm.so MIXGEMM_MANIFEST=build/probe/manifest.json
timeout 150 python3 -m mixgemm.bench --bits 4 --dtype f16 --group-size 128 --all-kernels --m 1,4,8,16,32 --anchors none --out /tmp/pr > $OUT/bench_probe.log 2>&1
echo "bench rc=$?"; xz -c /tmp/pr/bench.csv > $OUT/bench_probe_f16.csv.xz
xz -dc $S/run1/bench_f16.csv.xz > /tmp/r1.csv
python3 bench/compare.py /tmp/r1.csv /tmp/pr/bench.csv
for m in 1 16 32; do echo M=$m; python3 bench/compare.py --m $m /tmp/r1.csv /tmp/pr/bench.csv | grep -E "m8n128k256_s2_p2|m8n32k128_s3_p8|m16n128k256_s2_p2|cuBLAS"; done
