/**
 * Issue 24, "things users expect": a group's member list in the order people
 * look for (owner, then who is online, then by name), with its count and a
 * filter box, fast at 300 members: opening it asks the server nothing per
 * row (the group's members are loaded with the group; presence in one call).
 */
import { startTestServer, type TestServer } from '@chat/server/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, maybeScreenshotWidths } from './browser';
import { freshUsername, mutateViaApi, PASSWORD } from './helpers';
import { befriend, finish, heading, person } from './people';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Calls a tRPC mutation over plain HTTP with a session cookie (for people who never open a browser). */
async function call<T>(path: string, input: unknown, cookie = ''): Promise<{ data: T; cookie: string }> {
  const res = await fetch(`${server.url}/trpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url, cookie },
    body: JSON.stringify({ json: input }),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${text}`);
  const set = res.headers.get('set-cookie');
  return {
    data: (JSON.parse(text) as { result: { data: { json: T } } }).result.data.json,
    cookie: set ? (set.split(';')[0] ?? '') : cookie,
  };
}

/** `count` people who become contacts of `ownerName` (they ask; the owner's browser context accepts below). */
async function registerMany(count: number, ownerName: string, nameOf: (i: number) => string) {
  const out: { id: string; cookie: string }[] = [];
  const one = async (i: number) => {
    const username = freshUsername();
    const reg = await call<{ id: string }>('auth.register', { username, password: PASSWORD, passwordRepeat: PASSWORD });
    await call('profiles.update', { displayName: nameOf(i) }, reg.cookie);
    await call('contacts.request', { username: ownerName }, reg.cookie);
    out.push({ id: reg.data.id, cookie: reg.cookie });
  };
  const queue = Array.from({ length: count }, (_, i) => i);
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let i = queue.shift(); i !== undefined; i = queue.shift()) await one(i);
    }),
  );
  return out;
}

const LONG = 'Maximilian Alexander von Hohenzollern-Sigmaringen the Third';

describe('group member list', () => {
  it('a small group: owner first, then who is online, then by name; no filter box', async () => {
    const olga = await person(browser, server.url);
    const bea = await person(browser, server.url);
    const zed = await person(browser, server.url);
    await befriend(olga, bea);
    await befriend(olga, zed);
    await mutateViaApi(olga.context, 'profiles.update', { displayName: 'Olga Owner' });
    await mutateViaApi(bea.context, 'profiles.update', { displayName: 'Bea Online' });
    await mutateViaApi(zed.context, 'profiles.update', { displayName: 'Zed Viewer' });
    // Amy never opens the app: offline, and first by name.
    const [amy] = await registerMany(1, olga.user.username, () => 'Amy Away');
    if (!amy) throw new Error('no Amy');
    await mutateViaApi(olga.context, 'contacts.accept', { userId: amy.id });
    const group = await mutateViaApi<{ id: string }>(olga.context, 'groups.create', {
      name: 'Small',
      userIds: [bea.user.id, zed.user.id, amy.id],
    });

    const z = zed.page;
    await z.goto(`/groups/${group.id}`);
    await heading(z, 'Small').waitFor();
    await z.getByRole('button', { name: 'Group info' }).click();
    const members = z.getByRole('list', { name: 'Members' });
    await z.getByTestId('member-count').filter({ hasText: '4 members' }).waitFor();
    // Zed's own presence is not listed to him: he sorts by name among the rest.
    await expect
      .poll(() => members.locator('.display-name').allInnerTexts(), { timeout: 15_000 })
      .toEqual(['Olga Owner', 'Bea Online', 'Amy Away', 'Zed Viewer']);
    expect(await z.getByRole('searchbox', { name: 'Find a member' }).count()).toBe(0);
    await maybeScreenshotWidths(z, 'members-small');
    await finish(olga, bea, zed);
  });

  it('300 members: the count, owner and online first, a filter box, and no request per row', async () => {
    const owner = await person(browser, server.url);
    const viewer = await person(browser, server.url);
    await befriend(owner, viewer);
    await mutateViaApi(owner.context, 'profiles.update', { displayName: 'Zoe Owner' });
    await mutateViaApi(viewer.context, 'profiles.update', { displayName: 'Viv Viewer' });
    const others = await registerMany(297, owner.user.username, (i) =>
      i === 0 ? LONG : `Member ${String(i).padStart(3, '0')}`,
    );
    // An online member: someone with the app open.
    const online = await person(browser, server.url);
    await mutateViaApi(online.context, 'profiles.update', { displayName: 'Yuri Online' });
    await befriend(owner, online);
    for (const o of others) await mutateViaApi(owner.context, 'contacts.accept', { userId: o.id });
    const group = await mutateViaApi<{ id: string }>(owner.context, 'groups.create', {
      name: 'Everyone',
      userIds: [viewer.user.id, online.user.id, ...others.map((o) => o.id)],
    });

    const v = viewer.page;
    await v.goto(`/groups/${group.id}`);
    await heading(v, 'Everyone').waitFor();
    await v.getByText('300 members').first().waitFor();
    const calls: string[] = [];
    v.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (path.startsWith('/trpc/')) calls.push(path.slice('/trpc/'.length));
    });
    const started = Date.now();
    await v.getByRole('button', { name: 'Group info' }).click();
    const members = v.getByRole('list', { name: 'Members' });
    await members.getByRole('listitem').nth(299).waitFor();
    const opened = Date.now() - started;
    await v.getByTestId('member-count').filter({ hasText: '300 members' }).waitFor();
    await expect
      .poll(() => members.locator('.display-name').evaluateAll((els) => els.slice(0, 3).map((e) => e.textContent)), {
        timeout: 15_000,
      })
      .toEqual(['Zoe Owner', 'Yuri Online', LONG]);
    await maybeScreenshotWidths(v, 'members-300');
    await members.getByRole('listitem').nth(299).scrollIntoViewIfNeeded();
    // Opening asked for presence once (group members' states are not pushed), and nothing per member.
    expect(calls.filter((c) => !c.startsWith('message.markRead'))).toEqual(['presence.list']);
    expect(opened).toBeLessThan(3_000);

    const filter = v.getByRole('searchbox', { name: 'Find a member' });
    await filter.fill('member 04');
    await v.getByTestId('member-count').filter({ hasText: '10 of 300 members' }).waitFor();
    expect(await members.getByRole('listitem').count()).toBe(10);
    await filter.fill(`@${viewer.user.username}`);
    await expect.poll(() => members.locator('.display-name').allInnerTexts()).toEqual(['Viv Viewer']);
    await filter.fill('nobody like this');
    await v.getByText('No member matches “nobody like this”.').waitFor();
    await maybeScreenshotWidths(v, 'members-filter-empty');
    await filter.fill('hohenzollern');
    await expect.poll(() => members.locator('.display-name').allInnerTexts()).toEqual([LONG]);
    await maybeScreenshotWidths(v, 'members-long-name');
    await finish(owner, viewer, online);
    // Registering 297 people (an argon2 hash each) is most of this test's time.
  }, 240_000);
});
