import json,sys,collections
for f in sys.argv[1:]:
    p=json.load(open(f)); nodes={n['id']:n for n in p['nodes']}
    t=0; buckets=collections.defaultdict(collections.Counter)
    for sid,dt in zip(p['samples'],p['timeDeltas']):
        t+=dt; n=nodes[sid]; cf=n['callFrame']; url=cf['url'].split('/')[-1]
        k = cf['functionName'] if cf['functionName'] in ('(idle)','(program)','(garbage collector)') else ('pane' if 'mute-button' in url else ('entry' if url.startswith('index') else 'other'))
        buckets[int(t/1000//50)][k]+=dt/1000
    print(f.split('/')[-1], 'total', round(t/1000))
    for b in sorted(buckets): print(f'  {b*50:4d}-{b*50+50:4d}', ' '.join(f'{k}:{v:.0f}' for k,v in buckets[b].most_common()))
