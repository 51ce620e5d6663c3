#!/usr/bin/env bash
# Candidate sm90 bulk tiles (deeper pipelines) x {kPrefetch = stages-2 (base), stages-1 (prefetchall)}.
set -uo pipefail
cd "$(dirname "$0")/../.."
export PYTHONPATH="$PWD:$PWD/python" PYTHONUNBUFFERED=1
W=/tmp/candout; mkdir -p $W
for v in base prefetchall; do
  MIXGEMM_LIBRARY=.carry/cand/$v/libmixgemm.so timeout 150 python3 -m mixgemm.bench --bits 4,3 --dtype f16 \
    --all-kernels --m 64,128,256 --anchors none --out $W/$v > $W/$v.log 2>&1
  echo "$v rc=$?"
done
MIXGEMM_LIBRARY=.carry/cand/prefetchall/libmixgemm.so MIXGEMM_MANIFEST=.carry/cand/manifest.json timeout 120 \
  python3 -m pytest -m gpu tests -q -x 2>&1 | tail -5 | tee $W/pytest_prefetchall.log
python3 - <<'PY'
import csv,math
W='/tmp/candout'
t={}
for v in ('base','prefetchall'):
    for r in csv.DictReader(open(f'{W}/{v}/bench.csv')):
        if r['error']: continue
        tile=r['kernel'].split('_g128_')[1].replace('_bulk_streamk','')
        t.setdefault((r['bits'],r['M'],tile),{}).setdefault(v,[]).append((r['shape'],float(r['mixgemm_us'])))
# geomean time ratio vs the catalog tile per M (m64 s4 for 64, m128k128 s4 for 128, m256k128 s3 for 256)
ref={'64':'m64n256k128_s4','128':'m128n256k128_s4','256':'m256n128k128_s3'}
for (bits,M,tile),d in sorted(t.items()):
    r0=dict(t[(bits,M,ref[M])]['base'])
    out=[]
    for v in ('base','prefetchall'):
        x=dict(d.get(v,[]))
        g=math.exp(sum(math.log(r0[s]/x[s]) for s in x)/len(x)) if x else 0
        out.append('%s %.3f'%(v,g))
    gu=dict(d.get('prefetchall',[])).get('llama3-70b_gate_up_proj',0)
    print(bits,M,'%-18s'%tile,'  '.join(out),' 70b gate_up pfa %.1f base %.1f'%(gu,dict(d['base']).get('llama3-70b_gate_up_proj',0)))
PY
tar czf $OUT/cand.tgz -C $W .
