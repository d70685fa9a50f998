import { describe, expect, it } from 'vitest';
import { FREQUENT_EMOJI, searchEmoji, toEntries } from './emoji';

const data = [
  { unicode: '👍', label: 'thumbs up', group: 1, order: 3, tags: ['+1', 'hand', 'thumb', 'up'] },
  { unicode: '😀', label: 'grinning face', group: 0, order: 1, tags: ['face', 'grin'] },
  { unicode: '😂', label: 'face with tears of joy', group: 0, order: 2, tags: ['face', 'joy', 'laugh'] },
  { unicode: '🏻', label: 'light skin tone', group: 2, order: 4 },
  { unicode: '🇦', label: 'regional indicator A' },
  { unicode: '🐶', label: 'dog face', group: 3, order: 5, tags: ['dog', 'pet'] },
];

describe('emoji search', () => {
  const entries = toEntries(data);

  it('keeps reactable emoji in their order, without components or bare letters', () => {
    expect(entries.map((e) => e.emoji)).toEqual(['😀', '😂', '👍', '🐶']);
  });

  it('finds by name and by tag, every word must match', () => {
    expect(searchEmoji(entries, 'thumb').map((e) => e.emoji)).toEqual(['👍']);
    expect(searchEmoji(entries, 'laugh').map((e) => e.emoji)).toEqual(['😂']);
    expect(searchEmoji(entries, 'face').map((e) => e.emoji)).toEqual(['😂', '😀', '🐶']);
    expect(searchEmoji(entries, 'dog face').map((e) => e.emoji)).toEqual(['🐶']);
    expect(searchEmoji(entries, 'zebra')).toEqual([]);
    expect(searchEmoji(entries, '  ')).toHaveLength(4);
  });

  it('reads the real data set', async () => {
    const real = (await import('emojibase-data/en/compact.json')).default;
    const all = toEntries(real);
    expect(all.length).toBeGreaterThan(1500);
    expect(searchEmoji(all, 'thumbs up')[0]?.emoji).toBe('👍');
    // The frequent row's spellings are the data set's.
    for (const f of FREQUENT_EMOJI)
      expect(
        all.map((e) => e.emoji),
        f.name,
      ).toContain(f.emoji);
  });
});
