/**
 * Message text, as typed, into a small tree of nodes, pure. marked's lexer
 * reads the marks (GFM, `breaks` on), its tokenizer switched down to this
 * subset: **bold**, *italic*, ~~strike~~, `code`, ``` fenced blocks ```,
 * backslash escapes, line breaks, and links found in the text (http, https
 * and mailto written out, `www.` ones as http, e-mail addresses as mailto;
 * `<https://…>` too). No HTML, no entities, no `[text](url)` or reference
 * links, headings, lists, quotes, tables, rules or indented code: those stay
 * the characters that were typed. The tree is built from marked's tokens
 * (never its HTML renderer) and holds text and a fixed set of node kinds, so
 * whatever renders it creates text nodes and known elements only.
 */
import { getDefaults, Lexer, type MarkedToken, type Token, Tokenizer } from 'marked';

export type MarkNode =
  | { kind: 'text'; text: string }
  | { kind: 'break' }
  | { kind: 'code'; text: string }
  | { kind: 'strong' | 'em' | 'strike'; children: MarkNode[] }
  | { kind: 'link'; href: string; children: MarkNode[] };

export type BlockNode = { kind: 'paragraph'; children: MarkNode[] } | { kind: 'codeBlock'; text: string };

/**
 * Marks nest at most this deep; deeper ones stay as their characters. (marked
 * reads nested marks by recursion: 2,000 asterisks would make 1,000 levels,
 * and exhaust the stack of the lexer and of whatever walks the tree.)
 */
export const MAX_DEPTH = 12;

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

/**
 * marked's tokenizer with every rule outside the subset off (a tokenizer that
 * returns undefined matches nothing, so its characters are read as text), and
 * emphasis and strike nested at most MAX_DEPTH deep: marked lexes a mark's
 * content from inside the rule that found it, so the count is kept here.
 */
class MessageTokenizer extends Tokenizer {
  private depth = 0;

  override code() {
    return undefined; // indented code
  }
  override heading() {
    return undefined;
  }
  override lheading() {
    return undefined;
  }
  override hr() {
    return undefined;
  }
  override blockquote() {
    return undefined;
  }
  override list() {
    return undefined;
  }
  override html() {
    return undefined;
  }
  override def() {
    return undefined;
  }
  override table() {
    return undefined;
  }
  override tag() {
    return undefined;
  }
  override link() {
    return undefined;
  }
  override reflink() {
    return undefined;
  }

  override emStrong(src: string, maskedSrc: string, prevChar?: string) {
    return this.nested(() => super.emStrong(src, maskedSrc, prevChar));
  }
  override del(src: string, maskedSrc: string, prevChar?: string) {
    return this.nested(() => super.del(src, maskedSrc, prevChar));
  }

  private nested<T>(read: () => T): T | undefined {
    if (this.depth >= MAX_DEPTH) return undefined;
    this.depth++;
    try {
      return read();
    } finally {
      this.depth--;
    }
  }
}

/** The text's tokens. A lexer holds one text's state, so each text gets its own. */
function lex(text: string): Token[] {
  return new Lexer({ ...getDefaults(), gfm: true, breaks: true, tokenizer: new MessageTokenizer() }).lex(text);
}

const CONTAINERS = { strong: 'strong', em: 'em', del: 'strike' } as const;

function addText(list: MarkNode[], text: string): void {
  if (!text) return;
  const last = list[list.length - 1];
  if (last?.kind === 'text') list[list.length - 1] = { kind: 'text', text: last.text + text };
  else list.push({ kind: 'text', text });
}

interface Frame {
  tokens: Token[];
  next: number;
  children: MarkNode[];
}

/** One paragraph's inline tokens into nodes, with a stack (no recursion: nesting depth cannot overflow). */
function inlineNodes(tokens: Token[]): MarkNode[] {
  const root: MarkNode[] = [];
  const stack: Frame[] = [{ tokens, next: 0, children: root }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as Frame;
    // Only marked's own tokenizers run, so every token is one of its own kinds.
    const t = frame.tokens[frame.next++] as MarkedToken | undefined;
    if (!t) {
      stack.pop();
      continue;
    }
    const out = frame.children;
    const depth = stack.length - 1;
    if (t.type === 'strong' || t.type === 'em' || t.type === 'del') {
      if (depth >= MAX_DEPTH) {
        addText(out, t.raw);
        continue;
      }
      const node: MarkNode = { kind: CONTAINERS[t.type], children: [] };
      out.push(node);
      stack.push({ tokens: t.tokens, next: 0, children: node.children });
    } else if (t.type === 'link') {
      // A link that is not opened as one (not http, https or mailto): it stays as typed.
      const href = safeHref(t.href);
      if (href && depth < MAX_DEPTH) out.push({ kind: 'link', href, children: [{ kind: 'text', text: t.text }] });
      else addText(out, t.raw);
    } else if (t.type === 'codespan') {
      out.push({ kind: 'code', text: t.text });
    } else if (t.type === 'br') {
      out.push({ kind: 'break' });
    } else if (t.type === 'escape') {
      addText(out, t.text);
    } else {
      // text, and anything else: the characters typed (`raw`: marked's `text` decodes `&#60;`).
      addText(out, t.raw);
    }
  }
  return root;
}

/** A paragraph without the white space it starts and ends with, as CommonMark reads one. */
function trimmed(nodes: MarkNode[]): MarkNode[] {
  const first = nodes[0];
  if (first?.kind === 'text') nodes[0] = { kind: 'text', text: first.text.trimStart() };
  const last = nodes[nodes.length - 1];
  if (last?.kind === 'text') nodes[nodes.length - 1] = { kind: 'text', text: last.text.trimEnd() };
  return nodes.filter((n) => n.kind !== 'text' || n.text);
}

function parseBlocks(text: string): BlockNode[] {
  const blocks: BlockNode[] = [];
  for (const token of lex(text.replace(/\0/g, '\uFFFD'))) {
    const t = token as MarkedToken;
    if (t.type === 'code') {
      blocks.push({ kind: 'codeBlock', text: t.text });
    } else if (t.type === 'paragraph' || t.type === 'text') {
      const children = trimmed(inlineNodes(t.tokens ?? []));
      if (children.length > 0) blocks.push({ kind: 'paragraph', children });
    } else if (t.type !== 'space' && t.raw.trim()) {
      // Nothing else is lexed (its tokenizer is off); should it be, its characters.
      blocks.push({ kind: 'paragraph', children: [{ kind: 'text', text: t.raw.trim() }] });
    }
  }
  return blocks;
}

/** A message's text as blocks: paragraphs and fenced code. Should the parser fail, the text as it is. */
export function parseMessage(text: string): BlockNode[] {
  try {
    return parseBlocks(text);
  } catch {
    return [{ kind: 'paragraph', children: [{ kind: 'text', text }] }];
  }
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
