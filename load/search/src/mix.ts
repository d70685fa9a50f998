/**
 * The benchmark's fixed mix of searches, by kind. Words are named by their
 * rank in the corpus vocabulary (vocabulary.ts), so the same run of the seed
 * gives the same queries: common words from the top 100 (each in 1–30% of
 * messages), rare ones from ranks 20,000–50,000 (a few hundred messages
 * each), phrases of two common words, prefixes as typed (three to five
 * letters of a word, no space after), and filters on top of a common word.
 */
import type { SearchOrder } from '@chat/api/search';
import { buildVocabulary } from './vocabulary';

export const KINDS = ['common', 'rare', 'phrase', 'prefix', 'filtered', 'relevant', 'next page'] as const;
export type Kind = (typeof KINDS)[number];

export interface BenchQuery {
  kind: Kind;
  q: string;
  order: SearchOrder;
  /** Search once first and ask for the second page. */
  secondPage?: boolean;
}

/** What the filters can name for one benchmark user. */
export interface UserFacts {
  groupName: string;
  directPeer: string;
  activeSender: string;
}

const word = (vocabulary: string[], rank: number): string => {
  const w = vocabulary[rank - 1];
  if (w === undefined) throw new Error(`no word of rank ${rank}`);
  return w;
};

export function benchMix(facts: UserFacts): BenchQuery[] {
  const v = buildVocabulary();
  const w = (rank: number) => word(v, rank);
  const common = [5, 12, 20, 27, 40, 55, 70, 95].map(w);
  const rare = [20_011, 24_007, 28_001, 31_013, 36_011, 41_017, 45_001, 49_999].map(w);
  const phrases = [
    [1, 3],
    [2, 8],
    [4, 16],
    [9, 1],
    [6, 30],
    [12, 5],
    [21, 2],
    [33, 7],
  ].map(([a, b]) => `"${w(a ?? 1)} ${w(b ?? 1)}"`);
  // Prefixes of words from ranks 100–3,000, cut as someone typing would (3 to 5 letters).
  const prefixes = [101, 150, 233, 370, 610, 987, 1597, 2584].map((r, i) => {
    const full = w(r);
    return full.slice(0, Math.min(full.length, 3 + (i % 3)));
  });
  const filtered = [
    `${w(20)} in:"${facts.groupName}"`,
    `${w(55)} in:@${facts.directPeer}`,
    `${w(12)} from:@${facts.activeSender}`,
    `${w(40)} has:image`,
    `${w(27)} after:${daysAgo(90)}`,
    `${w(70)} before:${daysAgo(365)}`,
    `${w(5)} -${w(1)}`,
    `${w(95)} has:image after:${daysAgo(180)}`,
  ];
  return [
    ...common.map((q) => ({ kind: 'common' as const, q: `${q} `, order: 'recent' as const })),
    ...rare.map((q) => ({ kind: 'rare' as const, q: `${q} `, order: 'recent' as const })),
    ...phrases.map((q) => ({ kind: 'phrase' as const, q, order: 'recent' as const })),
    ...prefixes.map((q) => ({ kind: 'prefix' as const, q, order: 'recent' as const })),
    ...filtered.map((q) => ({ kind: 'filtered' as const, q, order: 'recent' as const })),
    ...common.map((q) => ({ kind: 'relevant' as const, q: `${q} `, order: 'relevant' as const })),
    ...common.map((q) => ({ kind: 'next page' as const, q: `${q} `, order: 'recent' as const, secondPage: true })),
  ];
}

function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}
