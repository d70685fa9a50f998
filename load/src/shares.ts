/** Splits the seeded population over the agents: user i goes to agent i mod n, with all its connections. */
import type { Options } from './options';
import type { Plan } from './plan';
import { username } from './plan';
import type { Population } from './seed/population';
import { LOAD_PASSWORD } from './seed/population';
import type { AgentShare, ShareChat } from './share';

export function makeShares(
  options: Options,
  urls: string[],
  plan: Plan,
  population: Population,
  agents: number,
): AgentShare[] {
  const chats: ShareChat[] = plan.chats.map((c) => ({
    id: population.chatIds[c.index] as string,
    klass: c.klass,
    members: c.members,
  }));
  return Array.from({ length: agents }, (_, a) => ({
    urls,
    transport: options.transport,
    reader: options.reader,
    sendOver: options['send-over'],
    fetch: options.fetch,
    pollWaitMs: options['poll-wait'],
    pollIntervalMs: options['poll-interval'],
    connectionsPerUser: options.connections,
    rampUpMs: options['ramp-up'] * 1000,
    readyTimeoutMs: options['ramp-up'] * 1000 + 120_000,
    sendTimeoutMs: options['send-timeout'],
    bodySize: options['body-size'],
    rate: options.rate / agents,
    classWeights: plan.classWeights,
    seed: options['random-seed'],
    loginConcurrency: Math.max(1, Math.ceil(options['login-concurrency'] / agents)),
    password: LOAD_PASSWORD,
    users: Array.from({ length: Math.ceil((plan.users - a) / agents) }, (_, k) => {
      const index = a + k * agents;
      return { index, username: username(plan, index), cookie: population.cookies[index] ?? null };
    }),
    chats,
  }));
}

/** Deliveries owed per message in each chat: every connection of every member. */
export function audienceOf(plan: Plan, population: Population, connectionsPerUser: number): (chatId: string) => number {
  const sizes = new Map(plan.chats.map((c) => [population.chatIds[c.index] as string, c.members.length]));
  return (chatId) => (sizes.get(chatId) ?? 0) * connectionsPerUser;
}

/** The message mix as audiences (for the bare-ws ceiling): mean members per class × connections. */
export function audienceMix(plan: Plan, connectionsPerUser: number): Array<{ audience: number; weight: number }> {
  return plan.classWeights
    .map((weight, klass) => {
      const chats = plan.chats.filter((c) => c.klass === klass);
      const mean = chats.reduce((s, c) => s + c.members.length, 0) / Math.max(1, chats.length);
      return { audience: Math.max(1, Math.round(mean * connectionsPerUser)), weight: chats.length > 0 ? weight : 0 };
    })
    .filter((m) => m.weight > 0);
}
