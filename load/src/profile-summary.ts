/**
 * `node --import tsx load/src/profile-summary.ts <file.cpuprofile> [top]`:
 * the functions with the most self time in a V8 CPU profile (as written by
 * the server under `--cpu-prof`), and the packages that time falls in.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: profile-summary.ts <file.cpuprofile> [top]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => {
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

const where = (url: string) => {
  const m = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1] ?? url;
  if (url.startsWith('node:')) return url;
  const w = /\/(packages|apps)\/([^/]+)\//.exec(url);
  return w ? `${w[1]}/${w[2]}` : url === '' ? '(native/idle)' : url;
};
const fns = new Map<string, number>();
const pkgs = new Map<string, number>();
for (const [id, us] of selfUs) {
  const f = byId.get(id)?.callFrame;
  if (!f) continue;
  const key = `${f.functionName || '(anonymous)'}  ${where(f.url)}${f.url ? `:${f.lineNumber + 1}` : ''}`;
  fns.set(key, (fns.get(key) ?? 0) + us);
  pkgs.set(where(f.url), (pkgs.get(where(f.url)) ?? 0) + us);
}
/**
 * Library time by the nearest frame of our own code above it: which of our
 * functions the time in drizzle, tRPC or postgres.js is spent for.
 */
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const ours = (url: string) => /\/(packages|apps)\//.test(url) && !url.includes('node_modules');
const forOurs = new Map<string, number>();
for (const [id, us] of selfUs) {
  const f = byId.get(id)?.callFrame;
  if (!f?.url || ours(f.url) || f.url.startsWith('node:internal/modules')) continue;
  let up = parent.get(id);
  while (up !== undefined && !ours(byId.get(up)?.callFrame.url ?? '')) up = parent.get(up);
  const caller = up === undefined ? undefined : byId.get(up)?.callFrame;
  const name = caller ? `${caller.functionName || '(anonymous)'}  ${where(caller.url)}` : '(no caller of ours)';
  const key = `${where(f.url)}  for  ${name}`;
  forOurs.set(key, (forOurs.get(key) ?? 0) + us);
}
const show = (m: Map<string, number>, n: number) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, us]) => `${((us / total) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`)
    .join('\n');
console.log(
  `total ${(total / 1e6).toFixed(1)} s sampled\n\nby package:\n${show(pkgs, 12)}\n\nby function (self time):\n${show(fns, Number(topArg ?? 25))}\n\nlibrary time by our nearest caller:\n${show(forOurs, Number(topArg ?? 25))}`,
);
