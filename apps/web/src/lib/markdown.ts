/**
 * Message text, as typed, into a small tree of nodes, pure. It reads a small
 * subset of CommonMark, as markdown-it's `zero` preset with these rules on
 * read it (which this file replaced, issue 28 §2: 42 kB gzipped against about
 * 3 kB, small enough for the entry script): **bold**, *italic*, ~~strike~~,
 * `code`, ``` fenced blocks ```, backslash escapes, line breaks, and links
 * found in the text (http, https and mailto written out, `www.` ones as http,
 * e-mail addresses as mailto). No HTML, no entities, no `[text](url)` links,
 * headings, lists or quotes: those stay the characters that were typed. The
 * tree holds text and a fixed set of node kinds, so whatever renders it
 * creates text nodes and known elements only. Inline parsing is in
 * markdown-inline.ts.
 */
import { inlineNodes, type MarkNode } from './markdown-inline';

export type { MarkNode };

export type BlockNode = { kind: 'paragraph'; children: MarkNode[] } | { kind: 'codeBlock'; text: string };

export { MAX_DEPTH } from './markdown-inline';
export { safeHref } from './markdown-links';

/** A line that opens a fence: up to three spaces, then three or more ` or ~ (a ` fence's info has no `). */
const FENCE_OPEN = /^( {0,3})(`{3,}|~{3,})(.*)$/;

interface Fence {
  indent: number;
  marker: string;
}

function fenceOpen(line: string): Fence | null {
  const m = FENCE_OPEN.exec(line);
  if (!m) return null;
  const [, indent = '', marker = '', info = ''] = m;
  if (marker[0] === '`' && info.includes('`')) return null;
  return { indent: indent.length, marker };
}

function closesFence(line: string, fence: Fence): boolean {
  const m = /^ {0,3}(`+|~+)[ \t]*$/.exec(line);
  const marker = m?.[1];
  return Boolean(marker && marker[0] === fence.marker[0] && marker.length >= fence.marker.length);
}

/** A fence's content line without up to the opening fence's indent. */
function unindent(line: string, indent: number): string {
  let cut = 0;
  while (cut < indent && line[cut] === ' ') cut++;
  return line.slice(cut);
}

const blank = (line: string) => /^[ \t]*$/.test(line);

function parseBlocks(text: string): BlockNode[] {
  const lines = text.replace(/\r\n?/g, '\n').replace(/\0/g, '\uFFFD').split('\n');
  // A final newline ends the last line, it does not start another; a last line of white space is none.
  if (lines.length > 1 && blank(lines[lines.length - 1] as string)) lines.pop();
  const blocks: BlockNode[] = [];
  let paragraph: string[] = [];
  const endParagraph = () => {
    const content = paragraph.join('\n').trim();
    if (content) blocks.push({ kind: 'paragraph', children: inlineNodes(content) });
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const fence = fenceOpen(line);
    if (fence) {
      endParagraph();
      const body: string[] = [];
      for (i++; i < lines.length && !closesFence(lines[i] as string, fence); i++) {
        body.push(unindent(lines[i] as string, fence.indent));
      }
      blocks.push({ kind: 'codeBlock', text: body.join('\n') });
    } else if (blank(line)) {
      endParagraph();
    } else {
      paragraph.push(line);
    }
  }
  endParagraph();
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
