/**
 * A database outage, logged once as it starts (warn) and once as it ends
 * (info, with how long it lasted), however many reads, NOTIFYs, heartbeats
 * and sign-ins fail meanwhile: a cut or a stall is expected, and its retries
 * are not errors (docs/database-faults.md).
 */
import type { Logger } from '../logger';
import { isDatabaseUnavailable } from '../unavailable';

export class OutageLog {
  private since: number | undefined;

  constructor(private readonly log: Logger) {}

  /**
   * `what` failed with `error`. True when that is the database being away
   * (the outage starts, or goes on); false for anything else, which the
   * caller logs as the error it is.
   */
  failed(error: unknown, what: string): boolean {
    if (!isDatabaseUnavailable(error)) return false;
    if (this.since === undefined) {
      this.since = Date.now();
      this.log.warn({ err: error, during: what }, 'the database cannot be reached; retrying until it is back');
    }
    return true;
  }

  /** A round trip to the database worked: an outage, if there was one, is over. */
  worked(): void {
    if (this.since === undefined) return;
    const downForMs = Date.now() - this.since;
    this.since = undefined;
    this.log.info({ downForMs }, `the database is back after ${(downForMs / 1000).toFixed(1)} s`);
  }
}
