import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';

describe('loadConfig', () => {
  it('has safe defaults for an empty environment (PGlite under ./data)', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.dataDir).toMatch(/\/data$/);
  });

  it('names every bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', PUBLIC_ORIGIN: 'ftp://x' })).toThrowError(
      /PORT[\s\S]*DATABASE_URL[\s\S]*PUBLIC_ORIGIN/,
    );
  });

  it('takes the idle time before away in seconds, 1 to a day, default 10 minutes', () => {
    expect(loadConfig({}).AWAY_AFTER_IDLE_SECONDS).toBe(600);
    expect(loadConfig({ AWAY_AFTER_IDLE_SECONDS: '3' }).AWAY_AFTER_IDLE_SECONDS).toBe(3);
    for (const bad of ['0', '86401', 'later']) {
      expect(() => loadConfig({ AWAY_AFTER_IDLE_SECONDS: bad })).toThrowError(/AWAY_AFTER_IDLE_SECONDS/);
    }
  });

  it('takes the presence grace in seconds, 0 to 300, default 5', () => {
    expect(loadConfig({}).PRESENCE_OFFLINE_GRACE_SECONDS).toBe(5);
    expect(loadConfig({ PRESENCE_OFFLINE_GRACE_SECONDS: '0' }).PRESENCE_OFFLINE_GRACE_SECONDS).toBe(0);
    for (const bad of ['-1', '301', 'soon']) {
      expect(() => loadConfig({ PRESENCE_OFFLINE_GRACE_SECONDS: bad })).toThrowError(/PRESENCE_OFFLINE_GRACE_SECONDS/);
    }
  });

  it('takes the stream caps as whole numbers from 1, default 4 per socket and 32 per user', () => {
    expect(loadConfig({})).toMatchObject({ STREAM_SUBSCRIPTIONS_PER_SOCKET: 4, STREAMS_PER_USER: 32 });
    expect(loadConfig({ STREAM_SUBSCRIPTIONS_PER_SOCKET: '1', STREAMS_PER_USER: '200' })).toMatchObject({
      STREAM_SUBSCRIPTIONS_PER_SOCKET: 1,
      STREAMS_PER_USER: 200,
    });
    for (const bad of ['0', '-1', '2.5', 'many', '100000']) {
      expect(() => loadConfig({ STREAM_SUBSCRIPTIONS_PER_SOCKET: bad })).toThrowError(
        /STREAM_SUBSCRIPTIONS_PER_SOCKET/,
      );
      expect(() => loadConfig({ STREAMS_PER_USER: bad })).toThrowError(/STREAMS_PER_USER/);
    }
  });

  it('takes the database timeouts in ms, the deadline longer than the statement timeout', () => {
    expect(loadConfig({})).toMatchObject({ DATABASE_STATEMENT_TIMEOUT_MS: 5_000, DATABASE_DEADLINE_MS: 6_000 });
    expect(loadConfig({ DATABASE_STATEMENT_TIMEOUT_MS: '1000', DATABASE_DEADLINE_MS: '2000' })).toMatchObject({
      DATABASE_STATEMENT_TIMEOUT_MS: 1_000,
      DATABASE_DEADLINE_MS: 2_000,
    });
    expect(() => loadConfig({ DATABASE_DEADLINE_MS: '5000' })).toThrowError(
      /DATABASE_DEADLINE_MS must be longer than DATABASE_STATEMENT_TIMEOUT_MS/,
    );
    for (const bad of ['0', '-5', 'soon', '1.5']) {
      expect(() => loadConfig({ DATABASE_STATEMENT_TIMEOUT_MS: bad })).toThrowError(/DATABASE_STATEMENT_TIMEOUT_MS/);
    }
  });

  it('resolves a relative DATA_DIR against the folder the command was run from (pnpm sets INIT_CWD)', () => {
    expect(loadConfig({ INIT_CWD: '/srv/chat' }).dataDir).toBe('/srv/chat/data');
    expect(loadConfig({ INIT_CWD: '/srv/chat', DATA_DIR: 'state/db' }).dataDir).toBe('/srv/chat/state/db');
    expect(loadConfig({ INIT_CWD: '/srv/chat', DATA_DIR: '/var/lib/chat' }).dataDir).toBe('/var/lib/chat');
  });

  it('reduces PUBLIC_ORIGIN to an origin', () => {
    expect(loadConfig({ PUBLIC_ORIGIN: 'https://chat.example.com/some/path' }).PUBLIC_ORIGIN).toBe(
      'https://chat.example.com',
    );
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });
});
