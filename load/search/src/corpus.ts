/**
 * The corpus, built set-based in SQL (generate_series, INSERT … SELECT): no
 * message is sent one by one. Layout (for N messages):
 *
 * - USERS users plus three benchmark users: `bench_most`, a member of every
 *   big group and many others (sees most of the corpus); `bench_few`, in a
 *   few small groups and one-to-one chats (sees a small part of it); and
 *   `bench_some` in between (two big groups, ten small, 30 one-to-one).
 * - BIG_GROUPS groups of 300 carrying 70% of the messages, SMALL_GROUPS groups
 *   of 3–100 carrying 20%, DIRECT_CHATS one-to-one chats carrying 10%; the
 *   two people of a one-to-one chat are contacts, and so are a group's owner
 *   and its members.
 * - Messages (written by messages.ts) spread evenly over two years; 2% carry
 *   an image (an `uploads` row).
 */
import type { Sql } from 'postgres';

export const USERS = 10_000;
export const BIG_GROUPS = 40;
export const SMALL_GROUPS = 1_160;
export const DIRECT_CHATS = 30_000;
export const SPAN_DAYS = 730;
const NO_LOGIN = 'seeded: no password';

/** Users, groups, one-to-one chats, memberships and contacts, plus each chat's message count. */
export async function seedPeopleAndChats(sql: Sql, messages: number): Promise<void> {
  await sql`
    insert into users (username, display_name, password_hash, created_at)
    select u, initcap(replace(u, '_', ' ')), ${NO_LOGIN}, now() - interval '800 days'
    from (select format('user%s', lpad(i::text, 5, '0')) as u from generate_series(1, ${USERS}) i
          union all values ('bench_most'), ('bench_some'), ('bench_few')) names`;
  await sql`create unlogged table seed_users as
    select id, row_number() over (order by username) as n from users where username like 'user%'`;
  await sql`create index on seed_users (n)`;
  await sql`create unlogged table seed_chats (
    chat_id uuid primary key default gen_random_uuid(), kind text not null, class text not null,
    name text, members uuid[] not null, weight float8 not null, n int not null default 0)`;
  const most = sql`(select id from users where username = 'bench_most')`;
  const few = sql`(select id from users where username = 'bench_few')`;
  const some = sql`(select id from users where username = 'bench_some')`;
  // Big groups: bench_most and 299 others each; bench_some is in the first two.
  await sql`
    insert into seed_chats (kind, class, name, members, weight)
    select 'group', 'big', format('All hands %s', g),
           ${most} || case when g <= 2 then array[${some}] else '{}'::uuid[] end || array(
             select id from seed_users where n > 0 * g order by random() limit case when g <= 2 then 298 else 299 end),
           0.5 + random()
    from generate_series(1, ${BIG_GROUPS}) g`;
  // Small groups: 3–100 members, most of them small.
  await sql`
    insert into seed_chats (kind, class, name, members, weight)
    select 'group', 'small', format('Team %s', g), array(
      select id from seed_users where n > 0 * g order by random() limit 3 + floor(97 * random() ^ 3)::int), 0
    from generate_series(1, ${SMALL_GROUPS}) g`;
  await sql`update seed_chats set weight = cardinality(members) * (0.2 + 1.6 * random()) where class = 'small'`;
  await sql`update seed_chats set members = members || ${most}
    where chat_id in (select chat_id from seed_chats where class = 'small' order by name limit 150)`;
  await sql`update seed_chats set members = members || ${few}
    where chat_id in (select chat_id from seed_chats where class = 'small' order by name desc limit 6)`;
  await sql`update seed_chats set members = members || ${some}
    where chat_id in (select chat_id from seed_chats where class = 'small' order by name desc limit 10 offset 6)`;
  // One-to-one chats between random pairs; the benchmark users get 200 and 20.
  await sql`
    insert into seed_chats (kind, class, members, weight)
    select 'direct', 'direct', array[least(a, b), greatest(a, b)], 0.1 + random()
    from (select distinct on (least(a.id, b.id), greatest(a.id, b.id)) a.id as a, b.id as b
          from (select 1 + floor(random() * ${USERS})::int as x, 1 + floor(random() * ${USERS})::int as y
                from generate_series(1, ${DIRECT_CHATS}) offset 0) r
          join seed_users a on a.n = r.x
          join seed_users b on b.n = r.y
          where a.id <> b.id) pairs
    union all
    select 'direct', 'direct', array[${most}, id], 0.1 + random() from seed_users where n <= 200
    union all
    select 'direct', 'direct', array[${few}, id], 0.1 + random() from seed_users where n > ${USERS} - 20
    union all
    select 'direct', 'direct', array[${some}, id], 0.1 + random() from seed_users where n > 5000 and n <= 5030`;
  await sql`
    update seed_chats c set n = greatest(1, round(${messages}::float8 * share * weight / total))
    from (select class, sum(weight) as total,
                 case class when 'big' then 0.7 when 'small' then 0.2 else 0.1 end as share
          from seed_chats group by class) k
    where k.class = c.class`;
  await sql`
    insert into chats (id, kind, name, owner_id, direct_key, member_count, last_seq, created_at, last_activity_at)
    select chat_id, kind, name, case when kind = 'group' then members[1] end,
           case when kind = 'direct' then least(members[1], members[2])::text || ':' || greatest(members[1], members[2])::text end,
           cardinality(members), 0, now() - interval '${sql.unsafe(String(SPAN_DAYS + 1))} days', now()
    from seed_chats`;
  await sql`insert into chat_members (chat_id, user_id, joined_at)
    select chat_id, unnest(members), now() - interval '${sql.unsafe(String(SPAN_DAYS + 1))} days' from seed_chats`;
  await sql`
    insert into contacts (user_id, contact_id)
    select distinct a, b from (
      select members[1] as a, unnest(members[2:]) as b from seed_chats
      union all select unnest(members[2:]), members[1] from seed_chats) pairs
    where a <> b
    on conflict do nothing`;
}

/** 2% of messages get an image (and their has_image flag, as a send with an image sets it). */
export async function seedUploads(sql: Sql): Promise<number> {
  const result = await sql`
    insert into uploads (uploader_id, chat_id, message_id, content_type, file_name, bytes, width, height,
                         thumb_width, thumb_height, created_at)
    select sender_id, chat_id, id, 'image/jpeg', 'photo.jpg', 180000, 1600, 1200, 320, 240, created_at
    from messages where body is not null and random() < 0.02`;
  await sql`update messages set has_image = true where id in (select message_id from uploads)`;
  return result.count;
}

/** Each chat's last seq and activity time, from its messages. */
export async function finishChats(sql: Sql): Promise<void> {
  await sql`
    update chats c set last_seq = m.seq, last_activity_at = m.last
    from (select chat_id, max(seq) as seq, max(created_at) as last from messages group by chat_id) m
    where m.chat_id = c.id`;
}
