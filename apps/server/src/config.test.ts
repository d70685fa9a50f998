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

  it('takes the presence grace in seconds, 0 to 300, default 5', () => {
    expect(loadConfig({}).PRESENCE_OFFLINE_GRACE_SECONDS).toBe(5);
    expect(loadConfig({ PRESENCE_OFFLINE_GRACE_SECONDS: '0' }).PRESENCE_OFFLINE_GRACE_SECONDS).toBe(0);
    for (const bad of ['-1', '301', 'soon']) {
      expect(() => loadConfig({ PRESENCE_OFFLINE_GRACE_SECONDS: bad })).toThrowError(/PRESENCE_OFFLINE_GRACE_SECONDS/);
    }
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
