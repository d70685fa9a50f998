/**
 * One paragraph's text into inline nodes (lib/markdown.ts): code spans,
 * backslash escapes, line breaks, found links, and emphasis (`*`, `_`),
 * strong (`**`, `__`) and strike (`~~`) by CommonMark's delimiter-run rules
 * (left- and right-flanking runs, the rule of three), as markdown-it reads
 * them. Two passes: the text into tokens with its delimiter runs, then the
 * runs paired; nothing recurses, so no input can exhaust the stack.
 */

import { emailEndingAt, type FoundLink, linkAt, safeHref } from './markdown-links';

/** Text with its marks, as lib/markdown.ts gives it. */
export type MarkNode =
  | { kind: 'text'; text: string }
  | { kind: 'break' }
  | { kind: 'code'; text: string }
  | { kind: 'strong' | 'em' | 'strike'; children: MarkNode[] }
  | { kind: 'link'; href: string; children: MarkNode[] };

/**
 * Marks nest at most this deep; deeper ones stay as their characters. (Pairing
 * itself nests without limit: 2,000 asterisks make 1,000 levels, which would
 * exhaust the stack of whatever walks the tree.)
 */
export const MAX_DEPTH = 12;

type MarkKind = 'strong' | 'em' | 'strike';

/** A run of `*`, `_` or `~` that may open or close marks. */
interface Delim {
  t: 'delim';
  ch: string;
  /** Characters not yet used by a pair. */
  left: number;
  /** A `~` run's odd one, never paired: shown after the marks the run closes. */
  odd: number;
  length: number;
  canOpen: boolean;
  canClose: boolean;
  /** Marks it closes (from its start) and opens (from its end), in the order they were paired. */
  closes: MarkKind[];
  opens: MarkKind[];
  prev: Delim | null;
  next: Delim | null;
}

type Token = { t: 'text'; text: string } | { t: 'code'; text: string } | { t: 'break' } | FoundLink | Delim;

const ASCII_PUNCT = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
const WHITE = /\s/u;
const PUNCT = /[\p{P}\p{S}]/u;
/** What may not come right before a link: it would be the middle of a word or an address. */
const IN_WORD = /[\p{L}\p{N}.+-]/u;

const charBefore = (src: string, pos: number): string => {
  if (pos <= 0) return '\n';
  const code = src.charCodeAt(pos - 1);
  return code >= 0xdc00 && code <= 0xdfff && pos >= 2 ? src.slice(pos - 2, pos) : (src[pos - 1] as string);
};
const charAt = (src: string, pos: number): string => String.fromCodePoint(src.codePointAt(pos) ?? 10);

function delimiter(src: string, pos: number, ch: string, length: number, odd: number): Delim {
  const before = charBefore(src, pos);
  const after = pos + length + odd < src.length ? charAt(src, pos + length + odd) : '\n';
  const [whiteBefore, whiteAfter] = [WHITE.test(before), WHITE.test(after)];
  const [punctBefore, punctAfter] = [PUNCT.test(before), PUNCT.test(after)];
  const leftFlanking = !whiteAfter && (!punctAfter || whiteBefore || punctBefore);
  const rightFlanking = !whiteBefore && (!punctBefore || whiteAfter || punctAfter);
  const underscore = ch === '_';
  return {
    t: 'delim',
    ch,
    left: length,
    odd,
    length,
    canOpen: underscore ? leftFlanking && (!rightFlanking || punctBefore) : leftFlanking,
    canClose: underscore ? rightFlanking && (!leftFlanking || punctAfter) : rightFlanking,
    closes: [],
    opens: [],
    prev: null,
    next: null,
  };
}

const runLength = (src: string, pos: number, ch: string) => {
  let end = pos;
  while (src[end] === ch) end++;
  return end - pos;
};

/** The text into tokens; `*`, `_` and `~~` runs as delimiters, not yet paired. */
function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let pending = '';
  const flush = () => {
    if (pending) tokens.push({ t: 'text', text: pending });
    pending = '';
  };
  const skipSpaces = (pos: number) => {
    while (src[pos] === ' ' || src[pos] === '\t') pos++;
    return pos;
  };
  let pos = 0;
  while (pos < src.length) {
    const ch = src[pos] as string;
    if (ch === '\\') {
      const next = src[pos + 1];
      if (next === '\n') {
        flush();
        tokens.push({ t: 'break' });
        pos = skipSpaces(pos + 2);
      } else if (next !== undefined && ASCII_PUNCT.includes(next)) {
        pending += next;
        pos += 2;
      } else {
        pending += ch;
        pos++;
      }
    } else if (ch === '`') {
      const length = runLength(src, pos, '`');
      const close = closingTicks(src, pos + length, length);
      if (close < 0) {
        pending += src.slice(pos, pos + length);
        pos += length;
        continue;
      }
      let code = src.slice(pos + length, close).replace(/\n/g, ' ');
      if (code.length > 2 && code.startsWith(' ') && code.endsWith(' ') && code.trim()) code = code.slice(1, -1);
      flush();
      tokens.push({ t: 'code', text: code });
      pos = close + length;
    } else if (ch === '*' || ch === '_' || ch === '~') {
      const length = runLength(src, pos, ch);
      const used = ch === '~' ? length - (length % 2) : length;
      if (used === 0) {
        pending += ch;
        pos += length;
        continue;
      }
      flush();
      tokens.push(delimiter(src, pos, ch, used, length - used));
      pos += length;
    } else if (ch === '\n') {
      pending = pending.replace(/ +$/, '');
      flush();
      tokens.push({ t: 'break' });
      pos = skipSpaces(pos + 1);
    } else if (ch === '@') {
      const email = emailEndingAt(pending, src, pos);
      if (email && !IN_WORD.test(charBefore(pending, pending.length - email.nameLength))) {
        pending = pending.slice(0, pending.length - email.nameLength);
        flush();
        tokens.push(email.link);
        pos += email.link.length;
      } else {
        pending += ch;
        pos++;
      }
    } else {
      const link = /[hHmMwW]/.test(ch) && !IN_WORD.test(charBefore(src, pos)) ? linkAt(src, pos) : null;
      if (link) {
        flush();
        tokens.push(link);
        pos += link.length;
      } else {
        pending += ch;
        pos++;
      }
    }
  }
  flush();
  return tokens;
}

/** Where a run of exactly `length` backticks starts at or after `from`, or -1. */
function closingTicks(src: string, from: number, length: number): number {
  for (let pos = src.indexOf('`', from); pos >= 0; pos = src.indexOf('`', pos)) {
    const run = runLength(src, pos, '`');
    if (run === length) return pos;
    pos += run;
  }
  return -1;
}

/** Pairs the delimiter runs (CommonMark's "process emphasis", with `~~` pairing two by two). */
function pairDelimiters(tokens: Token[]): void {
  let first: Delim | null = null;
  let last: Delim | null = null;
  for (const t of tokens) {
    if (!('t' in t) || t.t !== 'delim') continue;
    t.prev = last;
    if (last) last.next = t;
    else first = t;
    last = t;
  }
  const remove = (d: Delim) => {
    if (d.prev) d.prev.next = d.next;
    if (d.next) d.next.prev = d.prev;
    if (first === d) first = d.next;
  };
  const bottoms = new Map<string, Delim | null>();
  let closer: Delim | null = first;
  while (closer) {
    if (!closer.canClose) {
      closer = closer.next;
      continue;
    }
    const key = `${closer.ch}${closer.canOpen ? 1 : 0}${closer.length % 3}`;
    const bottom = bottoms.has(key) ? bottoms.get(key) : undefined;
    let opener: Delim | null = closer.prev;
    while (opener && opener !== bottom) {
      const odd =
        closer.ch !== '~' &&
        (closer.canOpen || opener.canClose) &&
        closer.length % 3 !== 0 &&
        (opener.length + closer.length) % 3 === 0;
      if (opener.ch === closer.ch && opener.canOpen && !odd) break;
      opener = opener.prev;
    }
    if (!opener || opener === bottom) {
      bottoms.set(key, closer.prev);
      const next: Delim | null = closer.next;
      if (!closer.canOpen) remove(closer);
      closer = next;
      continue;
    }
    const use = closer.ch === '~' || (closer.left >= 2 && opener.left >= 2) ? 2 : 1;
    const kind: MarkKind = closer.ch === '~' ? 'strike' : use === 2 ? 'strong' : 'em';
    opener.left -= use;
    closer.left -= use;
    opener.opens.push(kind);
    closer.closes.push(kind);
    for (let between = opener.next; between && between !== closer; between = between.next) remove(between);
    opener.next = closer;
    closer.prev = opener;
    if (opener.left === 0) remove(opener);
    if (closer.left === 0) {
      const next: Delim | null = closer.next;
      remove(closer);
      closer = next;
    }
  }
}

const MARKUP: Record<MarkKind, (ch: string) => string> = {
  strong: (ch) => ch + ch,
  em: (ch) => ch,
  strike: () => '~~',
};

interface Frame {
  children: MarkNode[];
  /** Too deep: its marks are kept as text, its content goes to the parent. */
  flat: boolean;
  markup: string;
}

/** One paragraph's text into nodes, with a stack (no recursion: nesting depth cannot overflow). */
export function inlineNodes(src: string): MarkNode[] {
  const tokens = tokenize(src);
  pairDelimiters(tokens);
  const root: MarkNode[] = [];
  const stack: Frame[] = [{ children: root, flat: false, markup: '' }];
  const top = () => stack[stack.length - 1] as Frame;
  let depth = 0;
  const addText = (text: string) => {
    if (!text) return;
    const list = top().children;
    const last = list[list.length - 1];
    if (last?.kind === 'text') list[list.length - 1] = { kind: 'text', text: last.text + text };
    else list.push({ kind: 'text', text });
  };
  const open = (kind: MarkKind, markup: string) => {
    if (depth < MAX_DEPTH) {
      const node: MarkNode = { kind, children: [] };
      top().children.push(node);
      stack.push({ children: node.children, flat: false, markup });
      depth++;
    } else {
      addText(markup);
      stack.push({ children: top().children, flat: true, markup });
    }
  };
  const close = () => {
    if (stack.length <= 1) return;
    const frame = stack.pop() as Frame;
    if (frame.flat) addText(frame.markup);
    else depth--;
  };
  for (const t of tokens) {
    if (!('t' in t)) {
      const href = safeHref(t.href);
      if (href && depth < MAX_DEPTH)
        top().children.push({ kind: 'link', href, children: [{ kind: 'text', text: t.label }] });
      else addText(t.label);
    } else if (t.t === 'text') addText(t.text);
    else if (t.t === 'code') top().children.push({ kind: 'code', text: t.text });
    else if (t.t === 'break') top().children.push({ kind: 'break' });
    else {
      for (let i = 0; i < t.closes.length; i++) close();
      addText(t.ch.repeat(t.left + t.odd));
      for (let i = t.opens.length - 1; i >= 0; i--) {
        const kind = t.opens[i] as MarkKind;
        open(kind, MARKUP[kind](t.ch));
      }
    }
  }
  return root;
}
