import type { Executor } from '@chat/db';
import { contactRequests, contacts } from '@chat/db';
import { and, eq, sql } from 'drizzle-orm';

/**
 * Serialises every change between two users (requests both ways, accepting,
 * removing) for the rest of the transaction, whichever side starts it. Two
 * people who ask each other at the same moment are thus seen one after the
 * other: the second finds the first's request and accepts it.
 */
export async function lockPair(tx: Executor, a: string, b: string): Promise<void> {
  const key = a < b ? `${a}:${b}` : `${b}:${a}`;
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`contacts:${key}`}, 0))`);
}

export async function areContacts(db: Executor, a: string, b: string): Promise<boolean> {
  const [row] = await db
    .select({ userId: contacts.userId })
    .from(contacts)
    .where(and(eq(contacts.userId, a), eq(contacts.contactId, b)));
  return row !== undefined;
}

export async function hasRequest(db: Executor, from: string, to: string): Promise<boolean> {
  const [row] = await db
    .select({ fromUserId: contactRequests.fromUserId })
    .from(contactRequests)
    .where(and(eq(contactRequests.fromUserId, from), eq(contactRequests.toUserId, to)));
  return row !== undefined;
}

export async function deleteRequest(tx: Executor, from: string, to: string): Promise<boolean> {
  const rows = await tx
    .delete(contactRequests)
    .where(and(eq(contactRequests.fromUserId, from), eq(contactRequests.toUserId, to)))
    .returning({ fromUserId: contactRequests.fromUserId });
  return rows.length > 0;
}
