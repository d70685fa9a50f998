/**
 * Seeding straight into PostgreSQL, for populations too large to register one
 * by one: users share one precomputed argon2id hash, contacts are written in
 * both directions, chats with their members and member counts, all in
 * set-based statements in one transaction. No events are written: nobody is
 * connected yet, and the run starts its streams at the head of the log.
 *
 * With `sessions`, it also writes a session per user (the session table keeps
 * the cookie's id as it is), so no one needs to log in through argon2.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { connectPostgres } from '@chat/db';
import { hash } from '@node-rs/argon2';
import { contactPairs, type Plan, username } from '../plan';
import { LOAD_PASSWORD, type Population, type SeedProgress } from './population';

const CHUNK = 20_000;
const SESSION_DAYS = 30;

/** argon2id with the server's parameters (OWASP's minimum). */
const ARGON2ID = 2;
const hashParams = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

function chunks<T>(rows: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}

export async function seedThroughDatabase(
  databaseUrl: string,
  plan: Plan,
  withSessions: boolean,
  say: SeedProgress,
): Promise<Population> {
  const sql = connectPostgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    const passwordHash = await hash(LOAD_PASSWORD, hashParams);
    const userIds = Array.from({ length: plan.users }, () => randomUUID());
    const chatIds = plan.chats.map(() => randomUUID());
    const sessionIds = withSessions ? userIds.map(() => randomBytes(20).toString('hex')) : [];
    await sql.begin(async (tx) => {
      for (const part of chunks(userIds.map((id, i) => [id, username(plan, i)] as const))) {
        await tx`insert into users (id, username, display_name, password_hash)
          select id, name, name, ${passwordHash}
          from unnest(${part.map((p) => p[0])}::uuid[], ${part.map((p) => p[1])}::text[]) as t(id, name)`;
      }
      say(`${plan.users} users`);

      const pairs = contactPairs(plan);
      for (const part of chunks(pairs)) {
        const a = part.map(([x]) => userIds[x] as string);
        const b = part.map(([, y]) => userIds[y] as string);
        await tx`insert into contacts (user_id, contact_id)
          select * from unnest(${a}::uuid[], ${b}::uuid[])
          union all select * from unnest(${b}::uuid[], ${a}::uuid[])
          on conflict do nothing`;
      }
      say(`${pairs.length} contact pairs`);

      for (const part of chunks(plan.chats)) {
        const ids = part.map((c) => chatIds[c.index] as string);
        const kinds = part.map((c) => c.kind);
        const names = part.map((c) => (c.kind === 'group' ? `${plan.runId} group ${c.index}` : null));
        const owners = part.map((c) => (c.kind === 'group' ? (userIds[c.members[0] ?? 0] as string) : null));
        const keys = part.map((c) => {
          if (c.kind !== 'direct') return null;
          const [x, y] = c.members.map((m) => userIds[m] as string).sort();
          return `${x}:${y}`;
        });
        const counts = part.map((c) => c.members.length);
        await tx`insert into chats (id, kind, name, owner_id, direct_key, member_count)
          select * from unnest(${ids}::uuid[], ${kinds}::text[], ${names}::text[], ${owners}::uuid[],
            ${keys}::text[], ${counts}::int[])`;
      }
      const memberships = plan.chats.flatMap((c) => c.members.map((m) => [chatIds[c.index], userIds[m]] as const));
      for (const part of chunks(memberships)) {
        await tx`insert into chat_members (chat_id, user_id)
          select * from unnest(${part.map((p) => p[0] as string)}::uuid[], ${part.map((p) => p[1] as string)}::uuid[])`;
      }
      say(`${plan.chats.length} chats, ${memberships.length} memberships`);

      if (withSessions) {
        for (const part of chunks(sessionIds.map((id, i) => [id, userIds[i] as string] as const))) {
          await tx`insert into sessions (id, user_id, expires_at, user_agent)
            select id, uid, now() + ${`${SESSION_DAYS} days`}::interval, 'chat-load'
            from unnest(${part.map((p) => p[0])}::text[], ${part.map((p) => p[1])}::uuid[]) as t(id, uid)`;
        }
        say(`${sessionIds.length} sessions`);
      }
    });
    // Statistics for the tables just filled, as a deployment of this size has:
    // without them the planner guesses until autovacuum comes by (a minute or
    // more), and a run's rows read depend on when it did (docs/capacity.md).
    await sql`analyze`;
    return {
      userIds,
      chatIds,
      cookies: userIds.map((_, i) => (withSessions ? `chat_session=${sessionIds[i]}` : null)),
    };
  } finally {
    await sql.end({ timeout: 5 });
  }
}
