/**
 * The search box's language, parsed without the database:
 *
 *   word            messages with the word (accents and case ignored)
 *   wor             the last word, while being typed, also matches as a prefix
 *   word*           a prefix anywhere
 *   "two words"     a phrase: the words next to each other, in that order
 *   -word -"a b"    leaves out messages with the word or phrase
 *   from:@alice     sent by alice (several from: mean any of them)
 *   in:@alice       in the one-to-one chat with alice
 *   in:Design       in the group called Design; in:"Design team" for spaces
 *   after:2024-05-01   sent on or after that day
 *   before:2024-06-01  sent before that day
 *   has:image       with an image
 *
 * Mistakes in filters are reported with what to write instead.
 */
import { invalid } from '../../errors';

export type TermKind = 'word' | 'prefix' | 'phrase';

export interface Term {
  kind: TermKind;
  /** The words as typed (for a prefix, without the `*`). */
  text: string;
}

export interface ChatRef {
  /** `@alice`: the one-to-one chat with alice; otherwise a group's name. */
  kind: 'direct' | 'group';
  name: string;
}

export interface ParsedQuery {
  include: Term[];
  exclude: Term[];
  from: string[];
  in: ChatRef[];
  /** YYYY-MM-DD: sent on or after the start of this day. */
  after: string | null;
  /** YYYY-MM-DD: sent before the start of this day. */
  before: string | null;
  hasImage: boolean;
}

/** Words typed as you go match as a prefix once they are this long. */
export const PREFIX_MIN_LENGTH = 3;
export const MAX_TERMS = 32;
const FILTERS = ['from', 'in', 'before', 'after', 'has'] as const;
type FilterKey = (typeof FILTERS)[number];

const OPEN_QUOTES = '"“”„«»';
const CLOSE_QUOTES = '"“”«»';
const hasLetters = (s: string) => /[\p{L}\p{N}]/u.test(s);
const fail = (message: string) => invalid(message, 'q');

interface Token {
  /** The text, quotes removed. */
  text: string;
  quoted: boolean;
  negated: boolean;
  /** For filters: the key before the colon. */
  key: FilterKey | null;
  /** The query ends inside this token (no space or closing quote after it): it is being typed. */
  last: boolean;
}

/** Reads a value that may be quoted; returns it and where it ends. */
function readValue(q: string, start: number): { text: string; quoted: boolean; open: boolean; end: number } {
  const first = q.charAt(start);
  if (first !== '' && OPEN_QUOTES.includes(first)) {
    let end = start + 1;
    while (end < q.length && !CLOSE_QUOTES.includes(q.charAt(end))) end++;
    const open = end >= q.length;
    return { text: q.slice(start + 1, end), quoted: true, open, end: Math.min(end + 1, q.length) };
  }
  let end = start;
  while (end < q.length && !/\s/u.test(q.charAt(end))) end++;
  return { text: q.slice(start, end), quoted: false, open: true, end };
}

function tokenize(q: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < q.length) {
    if (/\s/u.test(q.charAt(i))) {
      i++;
      continue;
    }
    const negated = q.charAt(i) === '-' && i + 1 < q.length && !/\s/u.test(q.charAt(i + 1));
    const start = negated ? i + 1 : i;
    const keyMatch = /^([a-z]+):/i.exec(q.slice(start, start + 8));
    const key = FILTERS.find((f) => f === keyMatch?.[1]?.toLowerCase()) ?? null;
    const valueStart = key && keyMatch ? start + keyMatch[0].length : start;
    const value = readValue(q, valueStart);
    tokens.push({ text: value.text, quoted: value.quoted, negated, key, last: value.open && value.end >= q.length });
    i = value.end;
  }
  return tokens;
}

function checkDate(key: 'before' | 'after', value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  if (!date || date.toISOString().slice(0, 10) !== value) {
    throw fail(`Write dates as YYYY-MM-DD, like ${key}:2024-05-31.`);
  }
  return value;
}

function addFilter(parsed: ParsedQuery, key: FilterKey, token: Token): void {
  if (token.negated) throw fail(`Filters cannot be negated: remove the - before ${key}:.`);
  const value = token.text.trim();
  switch (key) {
    case 'from': {
      const name = value.replace(/^@/, '');
      if (!name) throw fail('Write a username after from:, like from:@alice.');
      parsed.from.push(name);
      return;
    }
    case 'in': {
      const direct = !token.quoted && value.startsWith('@');
      const name = direct ? value.slice(1) : value;
      if (!name) throw fail('Write a chat after in:, like in:@alice or in:"Design team".');
      parsed.in.push({ kind: direct ? 'direct' : 'group', name });
      return;
    }
    case 'before':
    case 'after':
      if (parsed[key] !== null) throw fail(`Use ${key}: once.`);
      parsed[key] = checkDate(key, value);
      return;
    case 'has':
      if (!/^images?$/i.test(value)) throw fail('has: can only be has:image.');
      parsed.hasImage = true;
      return;
  }
}

function toTerm(token: Token, prefixAllowed: boolean): Term {
  if (token.quoted) {
    // An unclosed quote at the end is a phrase being typed: its last word is a prefix.
    const typing = prefixAllowed && token.last && /[\p{L}\p{N}]$/u.test(token.text);
    return { kind: typing ? 'prefix' : 'phrase', text: token.text };
  }
  if (token.text.endsWith('*') && hasLetters(token.text)) {
    return { kind: 'prefix', text: token.text.replace(/\*+$/, '') };
  }
  const words = token.text.match(/[\p{L}\p{N}]+/gu) ?? [];
  const lastWord = words.at(-1) ?? '';
  const typing =
    prefixAllowed && token.last && /[\p{L}\p{N}]$/u.test(token.text) && lastWord.length >= PREFIX_MIN_LENGTH;
  return { kind: typing ? 'prefix' : 'word', text: token.text };
}

/** Parses the search box. Throws `invalid` (field `q`) with a message saying what to write. */
export function parseQuery(q: string): ParsedQuery {
  const parsed: ParsedQuery = {
    include: [],
    exclude: [],
    from: [],
    in: [],
    after: null,
    before: null,
    hasImage: false,
  };
  for (const token of tokenize(q)) {
    if (token.key) {
      addFilter(parsed, token.key, token);
      continue;
    }
    if (!hasLetters(token.text)) continue; // punctuation alone matches nothing: skip it
    const term = toTerm(token, !token.negated);
    (token.negated ? parsed.exclude : parsed.include).push(term);
  }
  if (parsed.include.length + parsed.exclude.length > MAX_TERMS) {
    throw fail(`Search for at most ${MAX_TERMS} words and phrases at once.`);
  }
  const filtered = parsed.from.length > 0 || parsed.in.length > 0 || parsed.after || parsed.before || parsed.hasImage;
  if (parsed.include.length === 0 && !filtered) {
    throw fail(
      parsed.exclude.length > 0
        ? 'Add a word to search for: -word only leaves messages out.'
        : 'Type something to search for.',
    );
  }
  if (parsed.after && parsed.before && parsed.after >= parsed.before) {
    throw fail(`after:${parsed.after} must be an earlier day than before:${parsed.before}.`);
  }
  return parsed;
}
