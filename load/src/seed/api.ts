/**
 * Seeding through the public API, as people would: register (argon2, slow on
 * purpose), ask and accept contacts, open one-to-one chats, create groups.
 * Fine for hundreds of users; use --seed db for thousands.
 */
import { type ChatClient, createChatClient } from '@chat/api/client';
import { mapLimit } from '../limit';
import { contactPairs, type Plan, username } from '../plan';
import { LOAD_PASSWORD, type Population, type SeedProgress } from './population';

const CALLS_IN_FLIGHT = 16;

export async function seedThroughApi(
  url: string,
  plan: Plan,
  registerConcurrency: number,
  say: SeedProgress,
): Promise<Population> {
  const clients: ChatClient[] = [];
  const userIds = await mapLimit(
    Array.from({ length: plan.users }, (_, i) => i),
    registerConcurrency,
    async (i) => {
      const client = createChatClient({ url, transport: 'poll' });
      clients[i] = client;
      const name = username(plan, i);
      const user = await client.api.auth.register.mutate({
        username: name,
        password: LOAD_PASSWORD,
        passwordRepeat: LOAD_PASSWORD,
      });
      if ((i + 1) % 100 === 0) say(`registered ${i + 1}/${plan.users}`);
      return user.id;
    },
  );
  const client = (i: number): ChatClient => {
    const c = clients[i];
    if (!c) throw new Error(`no client for user ${i}`);
    return c;
  };

  const pairs = contactPairs(plan);
  await mapLimit(pairs, CALLS_IN_FLIGHT, async ([a, b]) => {
    await client(a).api.contacts.request.mutate({ username: username(plan, b) });
    await client(b).api.contacts.accept.mutate({ userId: userIds[a] as string });
  });
  say(`${pairs.length} contact pairs`);

  const chatIds = await mapLimit(plan.chats, CALLS_IN_FLIGHT, async (chat) => {
    const [owner = 0, ...rest] = chat.members;
    if (chat.kind === 'direct') {
      return (await client(owner).api.chats.direct.mutate({ username: username(plan, rest[0] ?? 0) })).id;
    }
    const group = await client(owner).api.groups.create.mutate({
      name: `${plan.runId} group ${chat.index}`,
      userIds: rest.map((m) => userIds[m] as string),
    });
    return group.id;
  });
  say(`${chatIds.length} chats`);
  return { userIds, chatIds, cookies: clients.map((c) => c.cookie()) };
}
