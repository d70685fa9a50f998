/**
 * Links found in message text (lib/markdown-inline.ts asks here): addresses
 * with their scheme written out (http, https, mailto), ones starting `www.`
 * (as http), and e-mail addresses (as mailto). Bare domains (`example.com`)
 * stay text. A found address ends before trailing punctuation and before a
 * closing bracket it did not open, as people write them in sentences.
 */

const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/** The link's address when it is one we open (http, https, mailto), else null. */
export function safeHref(href: string): string | null {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return null;
  }
  return SAFE_PROTOCOLS.has(url.protocol) ? url.href : null;
}

export interface FoundLink {
  /** Characters of the text it covers, from where it was looked for. */
  length: number;
  href: string;
  label: string;
}

const LABEL = '[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?';
/** A domain with a top-level part of letters (or punycode). */
const DOMAIN = `(?:${LABEL}\\.)+(?:\\p{L}{2,63}|xn--[a-z0-9-]{1,59})`;
/** A host after `http://`: a domain, one name (`localhost`, an intranet's), or an IPv4 address; a port. */
const HOST = new RegExp(`^(?:${DOMAIN}|${LABEL}|\\d{1,3}(?:\\.\\d{1,3}){3})(?::\\d{1,5})?$`, 'iu');
const EMAIL_DOMAIN = new RegExp(`${DOMAIN}(?![\\p{L}\\p{N}-])`, 'iuy');
const LOCAL_PART = /[A-Za-z0-9._%+-]+$/;

/** What may follow a scheme: up to white space, `<`, `>`, a quote or a backtick. */
const REST = /[^\s<>"`]*/y;
const SCHEME = /(https?:\/\/|mailto:|www\.)/iy;

/** Drops trailing punctuation, and closing brackets the address did not open. */
function trimEnd(address: string): string {
  let end = address.length;
  for (;;) {
    const c = address[end - 1];
    if (c === undefined) break;
    if ('.,:;!?*_~\'"'.includes(c)) {
      end--;
      continue;
    }
    const open = { ')': '(', ']': '[', '}': '{' }[c];
    if (open) {
      const part = address.slice(0, end);
      if (part.split(open).length < part.split(c).length) {
        end--;
        continue;
      }
    }
    break;
  }
  return address.slice(0, end);
}

/** An e-mail address at `from` of `src` (no scheme): `name@domain.tld`. */
function emailAt(src: string, from: number): number {
  const at = /[A-Za-z0-9._%+-]+@/y;
  at.lastIndex = from;
  const local = at.exec(src);
  if (!local || local[0].startsWith('.')) return 0;
  EMAIL_DOMAIN.lastIndex = from + local[0].length;
  const domain = EMAIL_DOMAIN.exec(src);
  return domain ? local[0].length + domain[0].length : 0;
}

/**
 * The link that starts at `from` with its scheme or `www.`, if any. The caller
 * has checked that `from` starts a word.
 */
export function linkAt(src: string, from: number): FoundLink | null {
  SCHEME.lastIndex = from;
  const scheme = SCHEME.exec(src)?.[1]?.toLowerCase();
  if (!scheme) return null;
  const start = from + scheme.length;
  if (scheme === 'mailto:') {
    const length = emailAt(src, start);
    if (!length) return null;
    const label = src.slice(from, start + length);
    return { length: label.length, href: `mailto:${src.slice(start, start + length)}`, label };
  }
  REST.lastIndex = start;
  const rest = trimEnd(REST.exec(src)?.[0] ?? '');
  // No `user@` before the host: `https://bank.example@evil.example` is not linked at all.
  const host = /^[^/?#]*/.exec(rest)?.[0] ?? '';
  const full = scheme === 'www.' ? `www.${host}` : host;
  if (!HOST.test(full) || (scheme === 'www.' && !full.slice(4).includes('.'))) return null;
  const label = src.slice(from, start + rest.length);
  return { length: label.length, href: scheme === 'www.' ? `http://${label}` : label, label };
}

/**
 * An e-mail address whose name ends `pending` (the text read so far) and
 * whose `@` is at `at` of `src`: the name's length and the link, or null.
 */
export function emailEndingAt(
  pending: string,
  src: string,
  at: number,
): { nameLength: number; link: FoundLink } | null {
  const name = LOCAL_PART.exec(pending)?.[0];
  if (!name || name.startsWith('.')) return null;
  EMAIL_DOMAIN.lastIndex = at + 1;
  const domain = EMAIL_DOMAIN.exec(src)?.[0];
  if (!domain) return null;
  const label = `${name}@${domain}`;
  return { nameLength: name.length, link: { length: domain.length + 1, href: `mailto:${label}`, label } };
}
