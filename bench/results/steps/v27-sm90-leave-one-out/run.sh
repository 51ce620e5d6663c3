#!/usr/bin/env bash
# Leave-one-out timing of the sm90 bulk kernels (diag.patch variants) + ncu of the base kernel.
set -uo pipefail
cd "$(dirname "$0")/../.."
export PYTHONPATH="$PWD:$PWD/python" PYTHONUNBUFFERED=1
W=/tmp/diagout; mkdir -p $W
nvidia-smi --query-gpu=name,clocks.sm,clocks.max.sm --format=csv > $W/gpu.txt
for v in base nounpack nowgmma neither; do
  MIXGEMM_LIBRARY=.carry/diag/$v/libmixgemm.so timeout 100 python3 -m mixgemm.bench --bits 4,3 --dtype f16 \
    --all-kernels --kernels 'sm90_*bulk*' --m 64,128 --anchors none --out $W/$v > $W/$v.log 2>&1
  echo "$v rc=$?"
done
python3 - <<'PY'
import csv
W='/tmp/diagout'
t={}
for v in ('base','nounpack','nowgmma','neither'):
    for r in csv.DictReader(open(f'{W}/{v}/bench.csv')):
        if r['error'] or not r['kernel'].startswith('sm90') or 'bulk' not in r['kernel']: continue
        t.setdefault((r['shape'],r['M'],r['kernel']),{})[v]=float(r['mixgemm_us'])
        t[(r['shape'],r['M'],r['kernel'])]['roof']=float(r['roofline_us'])
print('%-26s %4s %-46s %8s %8s %8s %8s %8s'%('shape','M','kernel','base','nounpk','nowgmma','neither','roof'))
for k,d in sorted(t.items()):
    print('%-26s %4s %-46s'%k + ''.join(' %8.2f'%d.get(v,0) for v in ('base','nounpack','nowgmma','neither','roof')))
PY
MIXGEMM_LIBRARY=.carry/diag/base/libmixgemm.so timeout 150 ncu --clock-control none -k regex:gemm_kernel --launch-skip 3 --launch-count 1 \
  --section SpeedOfLight --section ComputeWorkloadAnalysis --section WarpStateStats --section SchedulerStats --section InstructionStats \
  --metrics regex:smsp__average_warps_issue_stalled_.*_per_issue_active\.ratio,regex:sm__pipe_.*_cycles_active\.avg\.pct_of_peak_sustained_active,regex:sm__inst_executed_pipe_.*\.avg\.pct_of_peak_sustained_active \
  python3 bench/profile_one.py 8192 57344 64 sm90_f16_u4_g128_m64n256k128_s4_bulk_streamk > $W/ncu_m64.txt 2>&1
echo "ncu rc=$?"; grep -E "pipe_(tensor|fma|alu|fp16|fmaheavy|uniform).*cycles|Duration|SM Frequency|Issued Warp|gmma|math_pipe|dispatch|not_selected|barrier|wait_per|long_score|short_score" $W/ncu_m64.txt | head -40
tar czf $OUT/diag.tgz -C $W .
