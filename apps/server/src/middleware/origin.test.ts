import { describe, expect, it } from 'vitest';
import { isForeign, isFormPost } from './origin';

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
  it('refuses Sec-Fetch-Site: cross-site or same-site, and a malformed Origin', () => {
    expect(isForeign(none, { secFetchSite: 'cross-site', host: 'a:1' })).toBe(true);
    expect(isForeign(none, { secFetchSite: 'same-site', host: 'a:1' })).toBe(true);
    expect(isForeign(none, { secFetchSite: 'same-origin', host: 'a:1' })).toBe(false);
    expect(isForeign(none, { secFetchSite: 'none', host: 'a:1' })).toBe(false);
    expect(isForeign(none, { origin: 'null', host: 'a:1' })).toBe(true);
  });
});

describe('isFormPost', () => {
  it.each([
    'text/plain',
    'text/plain;charset=UTF-8',
    'application/x-www-form-urlencoded',
    'Multipart/Form-Data; boundary=x',
  ])('refuses a POST of %s', (type) => {
    expect(isFormPost('POST', type)).toBe(true);
  });
  it('lets JSON, raw bytes, no body type and reads through', () => {
    expect(isFormPost('POST', 'application/json')).toBe(false);
    expect(isFormPost('POST', 'application/octet-stream')).toBe(false);
    expect(isFormPost('POST', undefined)).toBe(false);
    expect(isFormPost('GET', 'text/plain')).toBe(false);
  });
});
