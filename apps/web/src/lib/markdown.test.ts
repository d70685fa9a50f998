import { describe, expect, it } from 'vitest';
import { type BlockNode, MAX_DEPTH, type MarkNode, parseMessage, plainText, safeHref } from './markdown';

const text = (t: string): MarkNode => ({ kind: 'text', text: t });
const para = (...children: MarkNode[]): BlockNode => ({ kind: 'paragraph', children });

/** Every href anywhere in the tree. */
function hrefs(blocks: BlockNode[]): string[] {
  const out: string[] = [];
  const walk = (nodes: MarkNode[]) => {
    for (const n of nodes) {
      if (n.kind === 'link') out.push(n.href);
      if ('children' in n) walk(n.children);
    }
  };
  for (const b of blocks) if (b.kind === 'paragraph') walk(b.children);
  return out;
}

describe('parseMessage', () => {
  it('reads bold, italic, strikethrough and inline code', () => {
    expect(parseMessage('**bold** *it* _it2_ ~~gone~~ `x < y`')).toEqual([
      para(
        { kind: 'strong', children: [text('bold')] },
        text(' '),
        { kind: 'em', children: [text('it')] },
        text(' '),
        { kind: 'em', children: [text('it2')] },
        text(' '),
        { kind: 'strike', children: [text('gone')] },
        text(' '),
        { kind: 'code', text: 'x < y' },
      ),
    ]);
  });

  it('nests marks', () => {
    expect(parseMessage('***both***')).toEqual([
      para({ kind: 'em', children: [{ kind: 'strong', children: [text('both')] }] }),
    ]);
  });

  it('keeps line breaks and paragraphs, and fenced code as it is', () => {
    expect(parseMessage('one\ntwo\n\nthree')).toEqual([
      para(text('one'), { kind: 'break' }, text('two')),
      para(text('three')),
    ]);
    expect(parseMessage('look:\n```js\nif (a < b) **x**\n```')).toEqual([
      para(text('look:')),
      { kind: 'codeBlock', text: 'if (a < b) **x**' },
    ]);
  });

  it('leaves broken marks and everything outside the subset as typed', () => {
    expect(parseMessage('**open and *half')).toEqual([para(text('**open and *half'))]);
    expect(parseMessage('# not a heading\n- not a list\n> not a quote')).toEqual([
      para(text('# not a heading'), { kind: 'break' }, text('- not a list'), { kind: 'break' }, text('> not a quote')),
    ]);
    expect(parseMessage('    indented is not code')).toEqual([para(text('indented is not code'))]);
    expect(parseMessage('a &amp; b &lt;i&gt;')).toEqual([para(text('a &amp; b &lt;i&gt;'))]);
    expect(parseMessage('\\*not italic\\*')).toEqual([para(text('*not italic*'))]);
  });

  it('keeps headings, lists, quotes, HTML, tables, rules and [text](url) links as typed', () => {
    const typed = [
      '# heading',
      '## heading ##',
      '- item',
      '* item',
      '1. item',
      '> quote',
      '<div>html</div>',
      '<b>bold</b>',
      '[text](https://example.org)',
      '![image](x.png)',
      '[ref]',
      '---',
      '***',
    ];
    for (const line of typed) {
      const linked = line.includes('https://');
      expect(plainText(line), line).toBe(line);
      expect(
        parseMessage(line).every((b) => b.kind === 'paragraph'),
        line,
      ).toBe(true);
      if (!linked) expect(parseMessage(line), line).toEqual([para(text(line))]);
    }
    const joined = typed.join('\n');
    expect(parseMessage(joined)).toHaveLength(1);
    expect(plainText(joined)).toBe(typed.join(' '));
    expect(hrefs(parseMessage(joined))).toEqual(['https://example.org/']);
    // Setext headings, tables, reference definitions and entities too.
    expect(parseMessage('title\n===\n\n| a | b |\n|---|---|\n\n[x]: /u\n[x] &#60;b&#62; &copy;')).toEqual([
      para(text('title'), { kind: 'break' }, text('===')),
      para(text('| a | b |'), { kind: 'break' }, text('|---|---|')),
      para(text('[x]: /u'), { kind: 'break' }, text('[x] &#60;b&#62; &copy;')),
    ]);
  });

  it('never turns HTML into anything but text', () => {
    const blocks = parseMessage('<script>alert(1)</script> <img src=x onerror=alert(1)> <b onclick="x()">b</b>');
    expect(blocks).toEqual([
      para(text('<script>alert(1)</script> <img src=x onerror=alert(1)> <b onclick="x()">b</b>')),
    ]);
  });

  it('links http, https, mailto and www. addresses found in the text', () => {
    expect(parseMessage('see https://example.com/a?b=1 now')).toEqual([
      para(
        text('see '),
        { kind: 'link', href: 'https://example.com/a?b=1', children: [text('https://example.com/a?b=1')] },
        text(' now'),
      ),
    ]);
    expect(hrefs(parseMessage('http://x.org mail ann@example.com or mailto:bob@example.com'))).toEqual([
      'http://x.org/',
      'mailto:ann@example.com',
      'mailto:bob@example.com',
    ]);
    expect(hrefs(parseMessage('www.example.com'))).toEqual(['http://www.example.com/']);
    expect(hrefs(parseMessage('**https://bold.example**'))).toEqual(['https://bold.example/']);
    // Angle brackets stay as typed (no autolink rule), the address inside is found; an unsafe one stays text.
    expect(parseMessage('<https://a.example/x> <javascript:alert(1)>')).toEqual([
      para(
        text('<'),
        { kind: 'link', href: 'https://a.example/x', children: [text('https://a.example/x')] },
        text('> <javascript:alert(1)>'),
      ),
    ]);
  });

  it('links nothing else: no javascript:, data:, ftp: or markdown link syntax', () => {
    const inputs = [
      'javascript:alert(1)',
      '[click](javascript:alert(1))',
      '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
      'data:text/html,<script>alert(1)</script>',
      'ftp://example.com/file',
      '[fine](https://example.com)',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
      'example.com',
    ];
    for (const input of inputs) {
      const found = hrefs(parseMessage(input));
      expect(
        found.every((h) => /^(https?|mailto):/.test(h)),
        input,
      ).toBe(true);
    }
    expect(hrefs(parseMessage('ftp://example.com/file'))).toEqual([]);
    expect(parseMessage('[x](javascript:alert(1))')).toEqual([para(text('[x](javascript:alert(1))'))]);
    // The markdown-link form is text; only the address inside it is found as a link.
    expect(hrefs(parseMessage('[fine](https://example.com)'))).toEqual(['https://example.com/']);
  });

  it('reads marks by the delimiter rules of CommonMark and GFM', () => {
    expect(parseMessage('snake_case_word and in*word*emph')).toEqual([
      para(text('snake_case_word and in'), { kind: 'em', children: [text('word')] }, text('emph')),
    ]);
    // markdown-it's strike: two tildes open and close it (a third stays text); one tilde is text.
    expect(parseMessage('x ~~a~~~ y')).toEqual([
      para(text('x '), { kind: 'strike', children: [text('a')] }, text('~ y')),
    ]);
    expect(parseMessage('~a~')).toEqual([para(text('~a~'))]);
    expect(parseMessage('*a **b** c*')).toEqual([
      para({ kind: 'em', children: [text('a '), { kind: 'strong', children: [text('b')] }, text(' c')] }),
    ]);
    expect(parseMessage('1*2*3 and `` a ` b `` and ` x `')).toEqual([
      para(
        text('1'),
        { kind: 'em', children: [text('2')] },
        text('3 and '),
        { kind: 'code', text: 'a ` b' },
        text(' and '),
        {
          kind: 'code',
          text: 'x',
        },
      ),
    ]);
    expect(parseMessage(' ```\n  a\n ```\nafter')).toEqual([{ kind: 'codeBlock', text: ' a' }, para(text('after'))]);
  });

  it('ends a found link before trailing punctuation and a bracket it did not open', () => {
    expect(hrefs(parseMessage('see https://example.com/a_b_c.'))).toEqual(['https://example.com/a_b_c']);
    expect(hrefs(parseMessage('(https://en.wikipedia.org/wiki/Foo_(bar)) here'))).toEqual([
      'https://en.wikipedia.org/wiki/Foo_(bar)',
    ]);
    expect(hrefs(parseMessage('go to www.example.com/path?x=1, then'))).toEqual(['http://www.example.com/path?x=1']);
    expect(hrefs(parseMessage('mail ann.lee+x@mail.example.co.uk!'))).toEqual(['mailto:ann.lee+x@mail.example.co.uk']);
    expect(hrefs(parseMessage('http://localhost:3000/x'))).toEqual(['http://localhost:3000/x']);
    // An address with a name before its host is never opened as the host after the `@`: the link found
    // ends before it, so it goes where its text says; and safeHref refuses such an address outright.
    expect(hrefs(parseMessage('https://bank.example@evil.example/x'))).toEqual(['https://bank.example/']);
    expect(safeHref('https://bank.example@evil.example/x')).toBeNull();
  });

  it('survives very long and deeply nested input, nesting at most MAX_DEPTH deep', () => {
    const depth = (nodes: MarkNode[]): number =>
      Math.max(0, ...nodes.map((n) => ('children' in n ? 1 + depth(n.children) : 0)));
    const deep = `${'*'.repeat(1999)}x${'*'.repeat(1999)}`;
    const [block] = parseMessage(deep);
    expect(block?.kind === 'paragraph' && depth(block.children)).toBe(MAX_DEPTH);
    // What is not nested stays as the characters typed.
    expect(plainText(deep)).toMatch(/^\*+x\*+$/);
    expect(plainText(deep).length).toBeGreaterThan(deep.length - MAX_DEPTH * 4);
    const nested = `${'**a *b ~~c '.repeat(300)}`;
    expect(() => parseMessage(nested)).not.toThrow();
    const long = 'word '.repeat(800);
    expect(plainText(long)).toBe(long.trim());
  });

  it('reads texts made to be slow at the longest length a message may have', () => {
    // How long they take is measured, not asserted (markdown.ts says why markdown-it: about 8 ms for the worst).
    for (const unit of ['*a_', ') __;_', '__&\n__\\', '**a__']) {
      const hostile = unit.repeat(Math.floor(4000 / unit.length));
      const blocks = parseMessage(hostile);
      expect(blocks.length, unit).toBeGreaterThan(0);
      expect(plainText(hostile).length, unit).toBeGreaterThan(0);
    }
  });
});

describe('plainText', () => {
  it('drops the marks, keeps the words, on one line', () => {
    expect(plainText('**Hello** *there*, ~~old~~ `code`\nnext')).toBe('Hello there, old code next');
    expect(plainText('```\nconst a = 1;\n```')).toBe('const a = 1;');
    expect(plainText('2 * 3 * 4')).toBe('2 * 3 * 4');
  });
});

describe('safeHref', () => {
  it('accepts only http, https and mailto', () => {
    expect(safeHref('https://a.example/x')).toBe('https://a.example/x');
    expect(safeHref('mailto:a@b.example')).toBe('mailto:a@b.example');
    expect(safeHref('JaVaScRiPt:alert(1)')).toBeNull();
    expect(safeHref(' javascript:alert(1)')).toBeNull();
    expect(safeHref('data:text/html,x')).toBeNull();
    expect(safeHref('/relative')).toBeNull();
    expect(safeHref('https://bank.example@evil.example/')).toBeNull();
    expect(safeHref('https://user:pw@a.example/')).toBeNull();
  });
});
