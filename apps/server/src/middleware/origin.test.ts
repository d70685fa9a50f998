import { describe, expect, it } from 'vitest';
import { isForeign } from './origin';

describe('isForeign', () => {
  const none = { publicOrigin: undefined };
  const set = { publicOrigin: 'https://chat.example.com' };

  it('accepts requests with no Origin and no Sec-Fetch-Site (scripts, bots)', () => {
    expect(isForeign(none, { host: 'a:1' })).toBe(false);
  });
  it('compares with the Host header when PUBLIC_ORIGIN is unset', () => {
    expect(isForeign(none, { origin: 'http://a:1', host: 'a:1' })).toBe(false);
    expect(isForeign(none, { origin: 'http://b:1', host: 'a:1' })).toBe(true);
  });
  it('compares with PUBLIC_ORIGIN exactly when set', () => {
    expect(isForeign(set, { origin: 'https://chat.example.com', host: 'internal:3000' })).toBe(false);
    expect(isForeign(set, { origin: 'http://chat.example.com', host: 'chat.example.com' })).toBe(true);
  });
  it('refuses Sec-Fetch-Site: cross-site and a malformed Origin', () => {
    expect(isForeign(none, { secFetchSite: 'cross-site', host: 'a:1' })).toBe(true);
    expect(isForeign(none, { origin: 'null', host: 'a:1' })).toBe(true);
  });
});
