/**
 * Message text, as typed, into a small tree of nodes, pure. markdown-it reads
 * the marks with only this subset switched on: **bold**, *italic*, ~~strike~~,
 * `code`, ``` fenced blocks ```, backslash escapes, line breaks, and links it
 * finds in the text (http, https, mailto; `www.` ones as http). No HTML, no
 * entities, no `[text](url)` links, headings, lists or quotes: those stay the
 * characters that were typed. The tree is built from markdown-it's tokens
 * (never its HTML output) and holds text and a fixed set of node kinds, so
 * whatever renders it creates text nodes and known elements only.
 *
 * markdown-it rather than a smaller reader: its rules stay linear on hostile
 * texts (4,000 characters of `*a_` take it about 8 ms; marked took about
 * 100 ms per such message, and a page of them would freeze every reader's
 * tab). It is part of the entry script, so nothing waits for it.
 */
import MarkdownIt, { type Token } from 'markdown-it';

export type MarkNode =
  | { kind: 'text'; text: string }
  | { kind: 'break' }
  | { kind: 'code'; text: string }
  | { kind: 'strong' | 'em' | 'strike'; children: MarkNode[] }
  | { kind: 'link'; href: string; children: MarkNode[] };

export type BlockNode = { kind: 'paragraph'; children: MarkNode[] } | { kind: 'codeBlock'; text: string };

const parser = new MarkdownIt('zero', { html: false, linkify: true, breaks: true });
parser.enable(['emphasis', 'strikethrough', 'backticks', 'fence', 'linkify', 'escape', 'newline']);
// Finds `www.` addresses too (and bare domains, which `linkTarget` leaves as text).
parser.linkify.set({ fuzzyLink: true });

const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/**
 * The link's address when it is one we open (http, https, mailto), else null.
 * One with a name before its host (`https://bank.example@evil.example`) is
 * not opened: it would go to the host after the `@`.
 */
export function safeHref(href: string): string | null {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return null;
  }
  if (!SAFE_PROTOCOLS.has(url.protocol) || url.username || url.password) return null;
  return url.href;
}

/** Links found in the text: with their scheme written out, or starting `www.`; bare domains stay text. */
function linkTarget(open: Token, label: string): string | null {
  const href = open.attrGet('href');
  if (typeof href !== 'string' || !href) return null;
  const written = /^(https?:\/\/|mailto:|www\.)/i.test(label) || href === `mailto:${label}`;
  return written ? safeHref(href) : null;
}

type Container = Extract<MarkNode, { children: MarkNode[] }>;
const CONTAINERS: Record<string, 'strong' | 'em' | 'strike'> = {
  strong_open: 'strong',
  em_open: 'em',
  s_open: 'strike',
};

/** Plain text of inline tokens from `from` up to the matching close at `depth`. */
function labelOf(tokens: Token[], from: number): string {
  let text = '';
  for (let i = from; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t || t.type === 'link_close') break;
    text += t.content;
  }
  return text;
}

/**
 * Marks nest at most this deep; deeper ones stay as their characters. (The
 * parser itself nests without limit: 2,000 asterisks make 1,000 levels,
 * which would exhaust the stack of whatever walks the tree.)
 */
export const MAX_DEPTH = 12;

interface Frame {
  children: MarkNode[];
  /** Too deep: its marks are kept as text, its content goes to the parent. */
  flat: boolean;
  markup: string;
}

/** One paragraph's inline tokens into nodes, with a stack (no recursion: nesting depth cannot overflow). */
export function inlineNodes(tokens: Token[]): MarkNode[] {
  const root: MarkNode[] = [];
  const stack: Frame[] = [{ children: root, flat: false, markup: '' }];
  let depth = 0;
  const top = () => stack[stack.length - 1] as Frame;
  const addText = (text: string) => {
    if (!text) return;
    const list = top().children;
    const last = list[list.length - 1];
    if (last?.kind === 'text') list[list.length - 1] = { kind: 'text', text: last.text + text };
    else list.push({ kind: 'text', text });
  };
  const open = (node: Container | null, markup: string) => {
    if (node && depth < MAX_DEPTH) {
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
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    const kind = CONTAINERS[t.type];
    if (kind) {
      open({ kind, children: [] }, t.markup);
    } else if (t.type === 'link_open') {
      // A link that is not opened as one (not http, https or mailto): its label stays text.
      const href = linkTarget(t, labelOf(tokens, i + 1));
      open(href ? { kind: 'link', href, children: [] } : null, '');
    } else if (t.nesting === -1) {
      close();
    } else if (t.type === 'code_inline') {
      top().children.push({ kind: 'code', text: t.content });
    } else if (t.type === 'softbreak' || t.type === 'hardbreak') {
      top().children.push({ kind: 'break' });
    } else {
      // text, and anything else: its characters, never markup.
      addText(t.content);
    }
  }
  return root;
}

/** A message's text as blocks: paragraphs and fenced code. Should the parser fail, the text as it is. */
export function parseMessage(text: string): BlockNode[] {
  try {
    return parseBlocks(text);
  } catch {
    return [{ kind: 'paragraph', children: [{ kind: 'text', text }] }];
  }
}

function parseBlocks(text: string): BlockNode[] {
  const blocks: BlockNode[] = [];
  for (const t of parser.parse(text, {})) {
    if (t.type === 'inline') blocks.push({ kind: 'paragraph', children: inlineNodes(t.children ?? []) });
    else if (t.type === 'fence' || t.type === 'code_block')
      blocks.push({ kind: 'codeBlock', text: t.content.replace(/\n$/, '') });
  }
  return blocks;
}

function inlineText(nodes: MarkNode[]): string {
  let out = '';
  for (const n of nodes) {
    if (n.kind === 'text' || n.kind === 'code') out += n.text;
    else if (n.kind === 'break') out += ' ';
    else out += inlineText(n.children);
  }
  return out;
}

/** The text without its marks, on one line (chat-list previews, notifications). */
export function plainText(text: string): string {
  return parseMessage(text)
    .map((b) => (b.kind === 'paragraph' ? inlineText(b.children) : b.text))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}
