import csv, sys, statistics as st
f, K, N, M, BM, BN, BK = sys.argv[1], *map(int, sys.argv[2:8])
tiles = ((M+BM-1)//BM) * ((N+BN-1)//BN); iters = (K+BK-1)//BK; work = tiles*iters
rows = [r for r in csv.DictReader(open(f))]
blocks = max(int(r['block']) for r in rows)+1
xs=[];ys=[]; hand=[]; ends=[]; fin=[]
for r in rows:
    b=int(r['block']); begin=b*work//blocks; end=(b+1)*work//blocks
    first = min(iters - begin%iters, end-begin)
    t=(int(r['mainloop_ns'])-int(r['start_ns']))/1000
    xs.append(first); ys.append(t)
    if int(r['handoff_ns']): hand.append((int(r['handoff_ns'])-int(r['mainloop_ns']))/1000)
# linear fit
n=len(xs); mx=sum(xs)/n; my=sum(ys)/n
b=sum((x-mx)*(y-my) for x,y in zip(xs,ys))/sum((x-mx)**2 for x in xs)
a=my-b*mx
print(f"{f}: blocks {blocks}, first-piece iters {min(xs)}..{max(xs)}; mainloop us = {a:.2f} + {b:.3f} * iters; handoff (mainloop->flag) median {st.median(hand) if hand else 0:.2f} us")
