import { describe, expect, it } from 'vitest';
import { loadMarkdown, parseMessage, plainText, withMarkdown } from './markdown-chunk';

describe('the formatter as a chunk of its own', () => {
  it('shows text as typed until it is loaded, then with its marks read', async () => {
    expect(plainText('**Big**\n  news')).toBe('**Big** news');
    expect(parseMessage('**Big**')).toEqual([{ kind: 'paragraph', children: [{ kind: 'text', text: '**Big**' }] }]);
    expect(await withMarkdown(Promise.resolve(42))).toBe(42);
    expect(plainText('**Big**\n  news')).toBe('Big news');
    expect(parseMessage('**Big**')).toEqual([
      { kind: 'paragraph', children: [{ kind: 'strong', children: [{ kind: 'text', text: 'Big' }] }] },
    ]);
  });

  it('is loaded once', async () => {
    expect(loadMarkdown()).toBe(loadMarkdown());
    await loadMarkdown();
  });
});
