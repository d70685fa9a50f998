/**
 * The population a run creates: users, one-to-one chats (each user with the
 * next, around a ring) and groups (windows of consecutive users, the first
 * one owning the group). It is made from the options and a seed, so every
 * process that holds part of it derives the same thing.
 */
export interface GroupClass {
  count: number;
  min: number;
  max: number;
  /** Share of group messages going to this class, relative to the others. */
  weight: number;
}

export interface PlannedChat {
  /** Index in `Plan.chats`; the database id arrives with seeding. */
  index: number;
  kind: 'direct' | 'group';
  /** 0 for one-to-one chats, 1 + the group class's index for groups. */
  klass: number;
  /** User indices; for groups the first is the owner. */
  members: number[];
}

export interface Plan {
  /** Prefix of every username and group name of this run. */
  runId: string;
  users: number;
  chats: PlannedChat[];
  /** Message mix: weight per class (0: one-to-one, 1…: group classes). */
  classWeights: number[];
}

/** `10x300`, `100x3-50:2,20x300`: COUNT x SIZE[-MAX][:WEIGHT], comma-separated. */
export function parseGroups(text: string): GroupClass[] {
  if (text.trim() === '') return [];
  return text.split(',').map((part) => {
    const m = /^\s*(\d+)x(\d+)(?:-(\d+))?(?::(\d+(?:\.\d+)?))?\s*$/.exec(part);
    if (!m) throw new Error(`"${part}" is not COUNTxSIZE[-MAX][:WEIGHT], e.g. 10x300 or 100x3-50`);
    const [count, min] = [Number(m[1]), Number(m[2])];
    const max = m[3] ? Number(m[3]) : min;
    const weight = m[4] ? Number(m[4]) : 1;
    if (count < 1) throw new Error(`"${part}": at least one group`);
    if (min < 2 || max < min) throw new Error(`"${part}": sizes go from 2 up, smallest first`);
    if (max > 300) throw new Error(`"${part}": a group has at most 300 members`);
    return { count, min, max, weight };
  });
}

/** A small seeded generator (mulberry32): the same seed, the same population and mix. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function buildPlan(input: {
  runId: string;
  users: number;
  groups: GroupClass[];
  directShare: number;
  seed: number;
}): Plan {
  const rnd = random(input.seed);
  const chats: PlannedChat[] = [];
  if (input.directShare > 0) {
    const pairs = input.users === 2 ? 1 : input.users;
    for (let i = 0; i < pairs; i++) {
      chats.push({ index: chats.length, kind: 'direct', klass: 0, members: [i, (i + 1) % input.users] });
    }
  }
  input.groups.forEach((g, k) => {
    for (let n = 0; n < g.count; n++) {
      const size = g.min + Math.floor(rnd() * (g.max - g.min + 1));
      const start = Math.floor(rnd() * input.users);
      const members = Array.from({ length: size }, (_, j) => (start + j) % input.users);
      chats.push({ index: chats.length, kind: 'group', klass: k + 1, members });
    }
  });
  const groupWeight = input.groups.reduce((s, g) => s + g.weight, 0);
  const classWeights = [
    input.directShare,
    ...input.groups.map((g) => (groupWeight === 0 ? 0 : ((1 - input.directShare) * g.weight) / groupWeight)),
  ];
  return { runId: input.runId, users: input.users, chats, classWeights };
}

export function username(plan: Plan, user: number): string {
  return `${plan.runId}_${user}`;
}

/** Every unordered pair that must be contacts: one-to-one partners, and each group's owner with its members. */
export function contactPairs(plan: Plan): Array<[number, number]> {
  const seen = new Set<string>();
  const pairs: Array<[number, number]> = [];
  const add = (a: number, b: number) => {
    if (a === b) return;
    const [x, y] = a < b ? [a, b] : [b, a];
    const key = `${x}:${y}`;
    if (seen.has(key)) return;
    seen.add(key);
    pairs.push([x, y]);
  };
  for (const chat of plan.chats) {
    const [owner = 0, ...rest] = chat.members;
    for (const m of rest) add(owner, m);
  }
  return pairs;
}

/** The index chosen by `r` (0 ≤ r < 1) among `weights`; -1 if all are 0. */
export function pickWeighted(weights: number[], r: number): number {
  const total = weights.reduce((s, w) => s + w, 0);
  if (total <= 0) return -1;
  let left = r * total;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i] ?? 0;
    if (w > 0 && left < w) return i;
    left -= w;
  }
  return weights.findLastIndex((w) => w > 0);
}
