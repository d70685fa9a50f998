/**
 * An XSS corpus sent through the real server and rendered in the other
 * person's browser: every payload must show as inert text. No script runs
 * (payloads would set `window.__xss` or open a dialog), and no element in a
 * rendered message carries an attribute that came from the message: no on*
 * handlers, no src/style, no href other than http(s) or mailto.
 */
import { randomUUID } from 'node:crypto';
import { startTestServer, type TestServer } from '@chat/server/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, maybeScreenshot } from './browser';
import { mutateViaApi } from './helpers';
import { befriend, composer, expectAllStored, finish, messageList, openChatWith, person } from './people';

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

/** The server's limit on a message's text (packages/api domain/messages/rules.ts). */
const MAX_LENGTH = 4000;
const hit = 'window.__xss=1';

/** Fills `unit` up to the message limit. */
const upTo = (unit: string) => unit.repeat(Math.floor(MAX_LENGTH / unit.length));

const CORPUS: string[] = [
  `<script>${hit}</script>`,
  `<img src=x onerror="${hit}">`,
  `<svg onload=${hit}><circle r=5 /></svg>`,
  `<iframe src="javascript:${hit}"></iframe>`,
  `<a href="javascript:${hit}">click</a>`,
  `<b onmouseover="${hit}" style="position:fixed;inset:0">hover</b>`,
  `<details open ontoggle=${hit}>x</details>`,
  `**<img src=x onerror=${hit}>** and *<script>${hit}</script>*`,
  `[click me](javascript:${hit})`,
  `[click me](JaVaScRiPt:${hit})`,
  `[data](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==)`,
  `![img](javascript:${hit})`,
  `![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9d2luZG93Ll9feHNzPTE+)`,
  `javascript:${hit}`,
  `data:text/html,<script>${hit}</script>`,
  `vbscript:msgbox(1) file:///etc/passwd`,
  `https://example.com/"onmouseover="${hit}"`,
  `https://example.com/<img src=x onerror=${hit}>`,
  `<https://example.com/autolink> <javascript:${hit}>`,
  `&lt;script&gt;${hit}&lt;/script&gt; &#106;avascript:${hit}`,
  `\`<script>${hit}</script>\``,
  `\`\`\`html\n<script>${hit}</script>\n<img src=x onerror=${hit}>\n\`\`\``,
  `***bold italic** broken* ~~strike **nested *deep ~~wrong order** end*`,
  `**unclosed *also ~~never \`open`,
  `<<script>script>${hit}<</script>/script>`,
  `<style>body{display:none}</style><link rel=stylesheet href=//evil.example>`,
  `mailto:someone@example.com?subject=<script>${hit}</script>`,
  upTo(`<img src=x onerror=${hit}>`),
  upTo('**a *b ~~c '),
  `${'*'.repeat(MAX_LENGTH / 2 - 1)}x${'*'.repeat(MAX_LENGTH / 2 - 1)}`,
  upTo('['),
  upTo('> '),
];

describe('an XSS corpus renders as inert text', () => {
  it('runs no script and lets no attribute from a message into the DOM', async () => {
    const alice = await person(browser, server.url);
    const bob = await person(browser, server.url);
    await befriend(alice, bob);
    const dialogs: string[] = [];
    bob.page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await openChatWith(alice, bob);
    await openChatWith(bob, alice);
    const chat = await mutateViaApi<{ id: string }>(alice.context, 'chats.direct', { username: bob.user.username });

    // A few through the composer (as typed), the rest through the API, all stored by the real server.
    for (const body of CORPUS.slice(0, 3)) {
      await composer(alice.page).fill(body);
      await composer(alice.page).press('Enter');
    }
    await expectAllStored(alice.page);
    for (const body of CORPUS.slice(3)) {
      expect(body.length).toBeLessThanOrEqual(MAX_LENGTH);
      await mutateViaApi(alice.context, 'message.send', { id: randomUUID(), chatId: chat.id, body });
    }

    const rendered = messageList(bob.page).locator('.message-text');
    await expect.poll(() => rendered.count(), { timeout: 20_000 }).toBe(CORPUS.length);
    // Hover and click everything that could carry a handler, then give any script time to run.
    for (const text of await rendered.all()) await text.hover({ force: true });
    await bob.page.waitForTimeout(500);
    await maybeScreenshot(bob.page, 'xss');

    expect(await bob.page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(await alice.page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();
    expect(dialogs).toEqual([]);

    // Every element in every rendered message: known tags, and only the attributes the renderer sets.
    const report = await rendered.evaluateAll((wrappers) => {
      const allowedTags = new Set(['DIV', 'P', 'BR', 'STRONG', 'EM', 'S', 'CODE', 'PRE', 'A']);
      const problems: string[] = [];
      for (const wrapper of wrappers) {
        for (const el of [wrapper, ...wrapper.querySelectorAll('*')]) {
          if (!allowedTags.has(el.tagName)) problems.push(`tag ${el.tagName}`);
          for (const attr of el.getAttributeNames()) {
            const value = el.getAttribute(attr) ?? '';
            if (el === wrapper && attr === 'class') continue;
            // The row's accessible name points at its text by this id (message-row.tsx): ours, from the message's id.
            if (el === wrapper && attr === 'id' && /^msg-[0-9a-f-]{36}-text$/.test(value)) continue;
            if (el.tagName === 'A' && attr === 'href' && /^(https?:\/\/|mailto:)/.test(value)) continue;
            if (el.tagName === 'A' && attr === 'target' && value === '_blank') continue;
            if (el.tagName === 'A' && attr === 'rel' && value === 'noopener noreferrer') continue;
            problems.push(`${el.tagName} ${attr}=${value}`);
          }
        }
      }
      return problems;
    });
    expect(report).toEqual([]);
    // Nothing in the whole message list has a handler attribute, an inline style from a message, or a frame.
    const handlers = await messageList(bob.page).evaluate((list) =>
      [...list.querySelectorAll('*')].flatMap((el) => el.getAttributeNames().filter((n) => n.startsWith('on'))),
    );
    expect(handlers).toEqual([]);
    const planted = 'iframe, script, object, embed, style, link, details, img[src="x"], .message-text svg';
    expect(await messageList(bob.page).locator(planted).count()).toBe(0);

    // The payloads are there as text, as typed.
    const texts = await rendered.allInnerTexts();
    expect(texts).toContain(`<script>${hit}</script>`);
    expect(texts).toContain(`[click me](javascript:${hit})`);
    expect(texts).toContain(`javascript:${hit}`);
    expect(texts.some((t) => t.includes(`&lt;script&gt;${hit}&lt;/script&gt;`))).toBe(true);
    // Links that remain are only the http(s)/mailto ones.
    const hrefs = await messageList(bob.page)
      .locator('.message-text a')
      .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs) expect(href).toMatch(/^(https?:\/\/|mailto:)/);

    await finish(alice, bob);
  });
});
