/**
 * Caps on what one client may hold open (DESIGN.md invariant 9): live
 * streams per WebSocket, and live connections (WebSockets and SSE streams)
 * per user on this process. Each is a count checked and moved when a stream
 * or a connection opens and closes, never per event.
 *
 * The per-user count is this process's own. Counting across processes would
 * take a database write for every connection that opens or closes (a
 * reconnect storm is thousands at once); behind a load balancer a user may
 * hold this many on each process, which still bounds them.
 */
import { TRPCError } from '@trpc/server';

/** Past a cap on what is held open at once: no wait helps until one of them closes, so no retry-after. */
const tooMany = (message: string) => new TRPCError({ code: 'TOO_MANY_REQUESTS', message });

export const tooManyStreamsPerSocket = (cap: number) => tooMany(`At most ${cap} live streams per connection.`);
export const tooManyConnectionsPerUser = (cap: number) =>
  tooMany(`At most ${cap} live connections per user on this server.`);

/** The live connections (WebSockets and SSE streams) each user holds on this process, at most `perUser`. */
export class UserStreams {
  private readonly byUser = new Map<string, number>();

  constructor(readonly perUser: number) {}

  count(userId: string): number {
    return this.byUser.get(userId) ?? 0;
  }

  hasRoom(userId: string): boolean {
    return this.count(userId) < this.perUser;
  }

  /** Counts one more for `userId`; false, counting nothing, when it holds `perUser` already. */
  open(userId: string): boolean {
    const n = this.count(userId);
    if (n >= this.perUser) return false;
    this.byUser.set(userId, n + 1);
    return true;
  }

  /** One that `open` counted has closed. */
  close(userId: string): void {
    const n = this.count(userId);
    if (n <= 1) this.byUser.delete(userId);
    else this.byUser.set(userId, n - 1);
  }
}
