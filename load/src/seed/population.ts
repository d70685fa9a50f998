import type { Plan } from '../plan';

/** The password of every load user (they are made for the run and nothing else). */
export const LOAD_PASSWORD = 'load-test-password';

/** The seeded population: database ids by plan index, and a session cookie per user when one is known. */
export interface Population {
  userIds: string[];
  chatIds: string[];
  /** `chat_session=…` per user, or null where the user must still log in. */
  cookies: Array<string | null>;
}

export type SeedProgress = (line: string) => void;

export function describePlan(plan: Plan): string {
  const groups = plan.chats.filter((c) => c.kind === 'group');
  const members = groups.reduce((s, g) => s + g.members.length, 0);
  return `${plan.users} users, ${plan.chats.length - groups.length} one-to-one chats, ${groups.length} groups (${members} memberships)`;
}
