/**
 * k6 `setup()`: registers the population through the public API (argon2 on
 * the server: about 50–100 ms each), makes contacts, one-to-one chats (each
 * user with the next) and groups (windows of consecutive users).
 */
import { mutate, type Session } from './trpc';

export interface Population {
  users: Session[];
  /** chat id → member indices. */
  chats: Array<{ id: string; kind: 'direct' | 'group'; members: number[] }>;
}

export interface PopulationSpec {
  base: string;
  users: number;
  groups: number;
  groupSize: number;
  directs: boolean;
  prefix: string;
}

const PASSWORD = 'load-test-password';

export function createPopulation(spec: PopulationSpec): Population {
  const users: Session[] = [];
  for (let i = 0; i < spec.users; i++) {
    const username = `${spec.prefix}_${i}`;
    const res = mutate<{ id: string }>(spec.base, 'auth.register', {
      username,
      password: PASSWORD,
      passwordRepeat: PASSWORD,
    });
    if (!res.cookie) throw new Error(`no session cookie for ${username}`);
    users.push({ username, userId: res.data.id, cookie: res.cookie });
  }
  const user = (i: number): Session => users[i % users.length] as Session;
  const befriended = new Set<string>();
  const befriend = (a: number, b: number) => {
    const key = a < b ? `${a}:${b}` : `${b}:${a}`;
    if (a === b || befriended.has(key)) return;
    befriended.add(key);
    mutate(spec.base, 'contacts.request', { username: user(b).username }, user(a).cookie);
    mutate(spec.base, 'contacts.accept', { userId: user(a).userId }, user(b).cookie);
  };

  const chats: Population['chats'] = [];
  if (spec.directs) {
    for (let i = 0; i < spec.users; i++) {
      const j = (i + 1) % spec.users;
      befriend(i, j);
      const chat = mutate<{ id: string }>(spec.base, 'chats.direct', { username: user(j).username }, user(i).cookie);
      chats.push({ id: chat.data.id, kind: 'direct', members: [i, j] });
    }
  }
  const size = Math.min(spec.groupSize, spec.users);
  for (let g = 0; g < spec.groups; g++) {
    const start = Math.floor((g * spec.users) / Math.max(1, spec.groups));
    const members = Array.from({ length: size }, (_, k) => (start + k) % spec.users);
    const [owner = 0, ...rest] = members;
    for (const m of rest) befriend(owner, m);
    const group = mutate<{ id: string }>(
      spec.base,
      'groups.create',
      { name: `${spec.prefix} group ${g}`, userIds: rest.map((m) => user(m).userId) },
      user(owner).cookie,
    );
    chats.push({ id: group.data.id, kind: 'group', members });
  }
  return { users, chats };
}
