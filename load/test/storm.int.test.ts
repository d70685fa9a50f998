/**
 * The reconnect storm of the fault suite (issue 9): 2,000 live clients
 * dropped at the same instant while messages flow, every one resuming with
 * its cursor; the load tool's books must show nothing lost and nothing
 * delivered twice. PostgreSQL only: the population is seeded through SQL.
 */
import { startTestServer, type TestServer } from '@chat/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultOptions } from '../src/options';
import { parseGroups } from '../src/plan';
import { runLoad } from '../src/run';
import { exitCode } from '../src/summary';

const onPostgres = process.env.TEST_DB === 'postgres';
let server: TestServer | undefined;

beforeAll(async () => {
  if (onPostgres) server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

describe.runIf(onPostgres)('a reconnect storm', () => {
  it('2,000 clients dropped at once all resume, and nothing is lost or repeated', async () => {
    if (!server) throw new Error('no server');
    const result = await runLoad(
      defaultOptions({
        url: [server.url],
        seed: 'db',
        sessions: 'db',
        'database-url': server.database.url,
        users: 2000,
        connections: 1,
        groups: parseGroups('20x20'),
        'direct-share': 0.5,
        rate: 20,
        duration: 12,
        'ramp-up': 10,
        settle: 2,
        grace: 90,
        workers: 0,
        'storm-at': [3],
        'storm-share': 1,
      }),
      () => {},
    );
    expect(result.connections).toMatchObject({ connections: 2000, ready: 2000 });
    expect(result.storms).toHaveLength(1);
    expect(result.storms[0]).toMatchObject({ dropped: 2000, resumed: 2000 });
    const t = result.tally;
    expect(t.stored).toBeGreaterThan(20); // messages were flowing through the storm
    expect(t.lost).toBe(0);
    expect(t.duplicated).toBe(0);
    expect(t.delivered).toBe(t.expected);
    expect(exitCode(result)).toBe(0);
  }, 600_000);
});
