/**
 * Message text, as typed, into a small tree of nodes, pure. markdown-it reads
 * the marks with only this subset switched on: **bold**, *italic*, ~~strike~~,
 * `code`, ``` fenced blocks ```, backslash escapes, line breaks, and links it
 * finds in the text (http, https, mailto; `www.` ones as http). No HTML, no
 * entities, no `[text](url)` links, headings, lists or quotes: those stay the
 * characters that were typed. The tree is built from markdown-it's tokens
 * (never its HTML output) and holds text and a fixed set of node kinds, so
 * whatever renders it creates text nodes and known elements only.
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

/** One paragraph's inline tokens into nodes, with a stack (no recursion: nesting depth cannot overflow). */
export function inlineNodes(tokens: Token[]): MarkNode[] {
  const root: MarkNode[] = [];
  const stack: { node: Container | null; children: MarkNode[] }[] = [{ node: null, children: root }];
  const top = () => stack[stack.length - 1] as { node: Container | null; children: MarkNode[] };
  const addText = (text: string) => {
    if (!text) return;
    const list = top().children;
    const last = list[list.length - 1];
    if (last?.kind === 'text') list[list.length - 1] = { kind: 'text', text: last.text + text };
    else list.push({ kind: 'text', text });
  };
  // A link that is not opened as one: its open and close are skipped, its label stays text.
  let skippedLinks = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    const kind = CONTAINERS[t.type];
    if (kind) {
      const node: Container = { kind, children: [] };
      top().children.push(node);
      stack.push({ node, children: node.children });
    } else if (t.type === 'link_open') {
      const href = linkTarget(t, labelOf(tokens, i + 1));
      if (href) {
        const node: Container = { kind: 'link', href, children: [] };
        top().children.push(node);
        stack.push({ node, children: node.children });
      } else skippedLinks++;
    } else if (t.type === 'link_close' && skippedLinks > 0) {
      skippedLinks--;
    } else if (t.nesting === -1) {
      if (stack.length > 1) stack.pop();
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

/** A message's text as blocks: paragraphs and fenced code. */
export function parseMessage(text: string): BlockNode[] {
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
