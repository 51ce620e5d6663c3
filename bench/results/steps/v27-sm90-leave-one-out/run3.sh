#!/usr/bin/env bash
# Leave-one-out, third round: what the empty loop spends its time on.
set -uo pipefail
cd "$(dirname "$0")/../.."
export PYTHONPATH="$PWD:$PWD/python" PYTHONUNBUFFERED=1
W=/tmp/diagout3; mkdir -p $W
VARS="base nocopies nc_nofence nc_nosync nc_nowgsync nc_nocompute nc_noloop base_nofence"
for v in $VARS; do
  MIXGEMM_LIBRARY=.carry/diag/$v/libmixgemm.so timeout 100 python3 -m mixgemm.bench --bits 4,3 --dtype f16 \
    --all-kernels --kernels 'sm90_*bulk*' --m 64,128 --anchors none --out $W/$v > $W/$v.log 2>&1
  echo "$v rc=$?"
done
python3 - $VARS <<'PY'
import csv,sys
W='/tmp/diagout3'; V=sys.argv[1:]
t={}
for v in V:
    for r in csv.DictReader(open(f'{W}/{v}/bench.csv')):
        if r['error'] or 'bulk' not in r['kernel']: continue
        t.setdefault((r['shape'],r['M'],r['kernel'].replace('sm90_f16_','').replace('_s4_bulk_streamk','')),{})[v]=float(r['mixgemm_us'])
print('%-24s %4s %-18s'%('shape','M','kernel')+''.join(' %9s'%v[:9] for v in V))
for k,d in sorted(t.items()):
    print('%-24s %4s %-18s'%k + ''.join(' %9.2f'%d.get(v,0) for v in V))
PY
tar czf $OUT/diag3.tgz -C $W .
