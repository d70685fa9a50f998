/**
 * `SessionService.recent`: what `validate` found in this process within the
 * last five minutes, which the text send uses instead of looking the session
 * up again (its statement checks that the session still exists). It must never
 * answer for longer than that, past the session's end, or after this
 * process ended it.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdvancingClock } from '../src/clock';
import { ACTIVITY_GRANULARITY_MS, createSessionService } from '../src/domain/auth/sessions';
import { makeDeps, makeUser, type TestDeps } from './deps';

const REMEMBERED = ACTIVITY_GRANULARITY_MS;
let deps: TestDeps;

beforeAll(async () => {
  deps = await makeDeps();
});
afterAll(async () => {
  await deps?.close();
});

async function fresh(options: { idleMs?: number } = {}) {
  const clock = new AdvancingClock();
  const sessions = createSessionService(deps.db, { secureCookies: false, clock, ...options });
  const user = await makeUser(deps, 'recent');
  const { session } = await sessions.create(user.id, { userAgent: 'test', ipAddress: '127.0.0.1' });
  return { clock, sessions, user, id: session.id };
}

describe('a recent validation', () => {
  it('is nothing until validate found the session, then what it found, for less than five minutes', async () => {
    const { clock, sessions, user, id } = await fresh();
    expect(sessions.recent(id)).toBeNull();
    const found = await sessions.validate(id);
    expect(found?.user.id).toBe(user.id);
    expect(sessions.recent(id)).toEqual(found);
    clock.advance(REMEMBERED - 1_000);
    expect(sessions.recent(id)).toEqual(found);
    clock.advance(1_000);
    expect(sessions.recent(id)).toBeNull();
    // Validating again records the use and is remembered again.
    expect(await sessions.validate(id)).not.toBeNull();
    expect(sessions.recent(id)?.user.id).toBe(user.id);
  });

  it('is nothing once the session has reached its end, within the five minutes', async () => {
    const { clock, sessions, id } = await fresh({ idleMs: 30_000 });
    expect(await sessions.validate(id)).not.toBeNull();
    clock.advance(29_000);
    expect(sessions.recent(id)).not.toBeNull();
    clock.advance(1_000);
    expect(sessions.recent(id)).toBeNull();
  });

  it('is nothing after this process ended the session, or found it gone', async () => {
    const first = await fresh();
    await first.sessions.validate(first.id);
    await first.sessions.invalidate(first.id);
    expect(first.sessions.recent(first.id)).toBeNull();

    // Ended elsewhere: remembered until the next validation, which forgets it.
    const second = await fresh();
    await second.sessions.validate(second.id);
    const elsewhere = createSessionService(deps.db, { secureCookies: false, clock: second.clock });
    await elsewhere.invalidate(second.id);
    expect(second.sessions.recent(second.id)).not.toBeNull();
    expect(await second.sessions.validate(second.id)).toBeNull();
    expect(second.sessions.recent(second.id)).toBeNull();
  });
});
