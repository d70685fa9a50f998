/** Relationships between test people, made through the real API. */
import type { Person } from './clients';

export async function befriend(a: Person, b: Person): Promise<void> {
  await a.client.api.contacts.request.mutate({ username: b.username });
  await b.client.api.contacts.accept.mutate({ userId: a.id });
}

/** A group owned by `owner` with `members` (each befriended with the owner first). */
export async function makeGroup(owner: Person, members: Person[], name = 'Team'): Promise<string> {
  for (const m of members) await befriend(owner, m);
  const group = await owner.client.api.groups.create.mutate({ name, userIds: members.map((m) => m.id) });
  return group.id;
}

/** The one-to-one chat between two contacts. */
export async function makeDirect(a: Person, b: Person): Promise<string> {
  await befriend(a, b);
  return (await a.client.api.chats.direct.mutate({ username: b.username })).id;
}
