# top self and total (inclusive) time by function in the window after the answer: samples from t0 ms to t1 ms of the profile
import json,sys,collections
f=sys.argv[1]; t0=float(sys.argv[2]); t1=float(sys.argv[3])
p=json.load(open(f)); nodes={n['id']:n for n in p['nodes']}
parent={}
for n in p['nodes']:
    for c in n.get('children',[]): parent[c]=n['id']
t=0; selfc=collections.Counter(); incl=collections.Counter()
for sid,dt in zip(p['samples'],p['timeDeltas']):
    t+=dt
    if not (t0*1000<=t<=t1*1000): continue
    n=nodes[sid]; cf=n['callFrame']
    key=lambda cf: f"{cf['functionName'] or '(anon)'} {cf['url'].split('/')[-1]}:{cf['lineNumber']}"
    selfc[key(cf)]+=dt/1000
    seen=set(); cur=sid
    while cur is not None:
        k=key(nodes[cur]['callFrame'])
        if k not in seen: incl[k]+=dt/1000; seen.add(k)
        cur=parent.get(cur)
print('self:'); [print(f'  {v:6.1f} {k[:90]}') for k,v in selfc.most_common(25)]
print('inclusive:'); [print(f'  {v:6.1f} {k[:90]}') for k,v in incl.most_common(45)]
