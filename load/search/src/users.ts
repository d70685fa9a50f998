/** The benchmark users and what the filters of the mix can name for each. */
import type { Database } from '@chat/db';
import { sql } from 'drizzle-orm';
import type { UserFacts } from './mix';

export function rowsOf(result: unknown): Record<string, unknown>[] {
  if (Array.isArray(result)) return result as Record<string, unknown>[];
  if (typeof result === 'object' && result !== null && 'rows' in result && Array.isArray(result.rows)) {
    return result.rows as Record<string, unknown>[];
  }
  throw new Error('unexpected result');
}

/** The user's busiest group, a one-to-one peer and an active sender of that group; how many messages they see. */
export async function userFacts(
  db: Database,
  username: string,
): Promise<{ id: string; facts: UserFacts; sees: number }> {
  const [row] = rowsOf(
    await db.execute(sql`
      select u.id,
        (select c.name from chat_members m join chats c on c.id = m.chat_id
          where m.user_id = u.id and c.kind = 'group' order by c.last_seq desc, c.name limit 1) as group_name,
        (select p.username from chat_members m join chats c on c.id = m.chat_id and c.kind = 'direct'
          join chat_members o on o.chat_id = c.id and o.user_id <> u.id join users p on p.id = o.user_id
          where m.user_id = u.id order by c.last_seq desc, p.username limit 1) as peer,
        (select s.username from chat_members m join chats c on c.id = m.chat_id and c.kind = 'group'
          join chat_members o on o.chat_id = c.id and o.user_id <> u.id join users s on s.id = o.user_id
          where m.user_id = u.id order by c.last_seq desc, s.username limit 1) as sender,
        (select sum(c.last_seq) from chat_members m join chats c on c.id = m.chat_id where m.user_id = u.id) as sees
      from users u where u.username = ${username}`),
  );
  if (!row) throw new Error(`no user ${username}: seed the corpus first`);
  return {
    id: String(row.id),
    facts: { groupName: String(row.group_name), directPeer: String(row.peer), activeSender: String(row.sender) },
    sees: Number(row.sees),
  };
}
