/**
 * Emoji for reactions: a few frequent ones at hand, and the full Unicode set
 * (emojibase-data, loaded on first use so the main bundle stays small)
 * searchable by name and keyword.
 */

export interface EmojiEntry {
  emoji: string;
  /** "thumbs up" */
  name: string;
  /** Lower-case words to search by: the name's words and the tags. */
  keywords: string[];
}

/** Offered first, in this order. */
export const FREQUENT_EMOJI: readonly EmojiEntry[] = [
  { emoji: '👍', name: 'thumbs up', keywords: ['+1', 'yes', 'like'] },
  { emoji: '❤️', name: 'red heart', keywords: ['love'] },
  { emoji: '😂', name: 'face with tears of joy', keywords: ['laugh', 'lol'] },
  { emoji: '😮', name: 'face with open mouth', keywords: ['wow', 'surprise'] },
  { emoji: '😢', name: 'crying face', keywords: ['sad'] },
  { emoji: '🎉', name: 'party popper', keywords: ['celebrate', 'tada'] },
  { emoji: '✅', name: 'check mark button', keywords: ['done', 'yes'] },
  { emoji: '👀', name: 'eyes', keywords: ['look', 'see'] },
];

/** The fields of emojibase's compact data that are used here. */
export interface CompactEmojiLike {
  unicode: string;
  label: string;
  group?: number | undefined;
  order?: number | undefined;
  tags?: readonly string[] | undefined;
}

/** emojibase's group 2 is skin-tone and hair components, not emoji to react with; no group: regional letters. */
const COMPONENT_GROUP = 2;

/**
 * One spelling per emoji: emojibase writes U+FE0F after emoji that show as
 * emoji anyway (👍️); typed or pasted they come without it. Reactions are
 * compared as strings, so drop it there (❤️ keeps its own, which it needs).
 */
export function normalizeEmoji(emoji: string): string {
  return emoji.replace(/(\p{Emoji_Presentation})\uFE0F/gu, '$1');
}

export function toEntries(data: readonly CompactEmojiLike[]): EmojiEntry[] {
  return data
    .filter((e) => e.group !== undefined && e.group !== COMPONENT_GROUP)
    .sort((a, b) => (a.order ?? 0) - (b.order ?? 0))
    .map((e) => ({
      emoji: normalizeEmoji(e.unicode),
      name: e.label,
      keywords: [...e.label.toLowerCase().split(/[\s:,]+/), ...(e.tags ?? []).map((t) => t.toLowerCase())],
    }));
}

/**
 * The entries whose name or keywords match every word of `query` (a word
 * matches the start of a keyword, or anywhere in the name); all of them for
 * an empty query. Names that start with the query come first.
 */
export function searchEmoji(entries: readonly EmojiEntry[], query: string): EmojiEntry[] {
  const words = query.toLowerCase().trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...entries];
  const q = words.join(' ');
  const hits = entries.filter((e) => {
    const name = e.name.toLowerCase();
    return words.every((w) => name.includes(w) || e.keywords.some((k) => k.startsWith(w)));
  });
  const starts = hits.filter((e) => e.name.toLowerCase().startsWith(q));
  return [...starts, ...hits.filter((e) => !starts.includes(e))];
}

let loading: Promise<EmojiEntry[]> | undefined;

/** The full set, fetched once (its own chunk). */
export function loadAllEmoji(): Promise<EmojiEntry[]> {
  loading ??= import('emojibase-data/en/compact.json').then((module) => toEntries(module.default));
  loading.catch(() => {
    loading = undefined; // a failed fetch may be tried again
  });
  return loading;
}
