#!/usr/bin/env bash
# sm90 wgmma batching: 1 (as before), 2 or 4 k16 steps per fence/commit/wait; timing + GPU tests.
set -uo pipefail
cd "$(dirname "$0")/../.."
export PYTHONPATH="$PWD:$PWD/python" PYTHONUNBUFFERED=1
W=/tmp/batchout; mkdir -p $W
for v in b1 b2 b4; do
  MIXGEMM_LIBRARY=.carry/batch/$v/libmixgemm.so timeout 120 python3 -m mixgemm.bench --bits 4,3 --dtype f16 \
    --all-kernels --m 64,128,256 --anchors none --out $W/$v > $W/$v.log 2>&1
  echo "$v bench rc=$?"
done
for v in b2 b4; do
  MIXGEMM_LIBRARY=.carry/batch/$v/libmixgemm.so MIXGEMM_MANIFEST=.carry/batch/manifest.json timeout 100 \
    python3 -m pytest -m gpu tests -q 2>&1 | tail -3 | tee $W/pytest_$v.log
done
python3 - <<'PY'
import csv,math
W='/tmp/batchout'
t={}
for v in ('b1','b2','b4'):
    for r in csv.DictReader(open(f'{W}/{v}/bench.csv')):
        if r['error'] or not r['kernel']: continue
        t.setdefault((r['bits'],r['M'],r['kernel'].split('_g128_')[1]),{}).setdefault(v,{})[r['shape']]=float(r['mixgemm_us'])
g=lambda xs: math.exp(sum(map(math.log,xs))/len(xs))
print('bits M kernel  speed b2/b1  b4/b1   (geomean over shapes)   70b gate_up b1 b2 b4')
for k,d in sorted(t.items()):
    if 'b1' not in d: continue
    row=[g([d['b1'][s]/d[v][s] for s in d['b1'] if s in d.get(v,{})]) if v in d else 0 for v in ('b2','b4')]
    gu=[d[v].get('llama3-70b_gate_up_proj',0) for v in ('b1','b2','b4') if v in d]
    print(*k, '%.3f %.3f'%tuple(row), ' '.join('%.1f'%x for x in gu))
PY
tar czf $OUT/batch.tgz -C $W .
