/** The search language (domain/search/parse.ts), the shape chooser and snippets: pure logic. */
import { describe, expect, it } from 'vitest';
import { parseQuery } from '../src/domain/search/parse';
import { choosePlan } from '../src/domain/search/plan';
import { dayStart } from '../src/domain/search/scope';
import { toSegments } from '../src/domain/search/snippets';
import { DomainError } from '../src/errors';

function refusal(q: string): string {
  try {
    parseQuery(q);
  } catch (e) {
    if (e instanceof DomainError && e.kind === 'invalid' && e.field === 'q') return e.message;
    throw e;
  }
  throw new Error(`expected ${q} to be refused`);
}

describe('parseQuery', () => {
  it('reads words, the last one as a prefix while it is being typed', () => {
    expect(parseQuery('deploy frid').include).toEqual([
      { kind: 'word', text: 'deploy' },
      { kind: 'prefix', text: 'frid' },
    ]);
    expect(parseQuery('deploy frid ').include.at(-1)).toEqual({ kind: 'word', text: 'frid' });
    expect(parseQuery('deploy fr').include.at(-1)).toEqual({ kind: 'word', text: 'fr' });
    expect(parseQuery('hello,').include).toEqual([{ kind: 'word', text: 'hello,' }]);
    expect(parseQuery('dep* friday ').include).toEqual([
      { kind: 'prefix', text: 'dep' },
      { kind: 'word', text: 'friday' },
    ]);
  });

  it('reads phrases, straight or curly quoted; an unclosed one is being typed', () => {
    expect(parseQuery('"release notes" x ').include[0]).toEqual({ kind: 'phrase', text: 'release notes' });
    expect(parseQuery('“release notes”').include).toEqual([{ kind: 'phrase', text: 'release notes' }]);
    expect(parseQuery('"release no').include).toEqual([{ kind: 'prefix', text: 'release no' }]);
  });

  it('reads exclusions of words and phrases, never as prefixes', () => {
    const parsed = parseQuery('lunch -pizza -"fish soup"');
    expect(parsed.include).toEqual([{ kind: 'word', text: 'lunch' }]);
    expect(parsed.exclude).toEqual([
      { kind: 'word', text: 'pizza' },
      { kind: 'phrase', text: 'fish soup' },
    ]);
    expect(parseQuery('a-b -').include).toEqual([{ kind: 'word', text: 'a-b' }]);
  });

  it('reads every filter, quoted names too', () => {
    const parsed = parseQuery(
      'from:@alice FROM:bob in:@carol in:"Design team" in:ops after:2024-05-01 before:2024-06-01 has:image x ',
    );
    expect(parsed).toEqual({
      include: [{ kind: 'word', text: 'x' }],
      exclude: [],
      from: ['alice', 'bob'],
      in: [
        { kind: 'direct', name: 'carol' },
        { kind: 'group', name: 'Design team' },
        { kind: 'group', name: 'ops' },
      ],
      after: '2024-05-01',
      before: '2024-06-01',
      hasImage: true,
    });
  });

  it('takes filters alone, and words with colons that are not filters', () => {
    expect(parseQuery('has:image').hasImage).toBe(true);
    expect(parseQuery('in:@bob -lunch').exclude).toEqual([{ kind: 'word', text: 'lunch' }]);
    expect(parseQuery('re:budget ').include).toEqual([{ kind: 'word', text: 're:budget' }]);
  });

  it('says what is wrong with a filter', () => {
    expect(refusal('has:video')).toBe('has: can only be has:image.');
    expect(refusal('before:2024-13-01')).toBe('Write dates as YYYY-MM-DD, like before:2024-05-31.');
    expect(refusal('after:2024-02-30')).toBe('Write dates as YYYY-MM-DD, like after:2024-05-31.');
    expect(refusal('after:yesterday')).toBe('Write dates as YYYY-MM-DD, like after:2024-05-31.');
    expect(refusal('from: x')).toBe('Write a username after from:, like from:@alice.');
    expect(refusal('from:@')).toBe('Write a username after from:, like from:@alice.');
    expect(refusal('in:')).toBe('Write a chat after in:, like in:@alice or in:"Design team".');
    expect(refusal('x -from:@bob')).toBe('Filters cannot be negated: remove the - before from:.');
    expect(refusal('before:2024-01-01 before:2024-02-01')).toBe('Use before: once.');
    expect(refusal('after:2024-06-01 before:2024-06-01')).toBe(
      'after:2024-06-01 must be an earlier day than before:2024-06-01.',
    );
  });

  it('refuses a search for nothing, or for exclusions alone', () => {
    expect(refusal('')).toBe('Type something to search for.');
    expect(refusal('   !!! ')).toBe('Type something to search for.');
    expect(refusal('-pizza')).toBe('Add a word to search for: -word only leaves messages out.');
    expect(refusal(Array.from({ length: 33 }, (_, i) => `w${i}`).join(' '))).toBe(
      'Search for at most 32 words and phrases at once.',
    );
  });
});

describe('dayStart', () => {
  it('is midnight on the searcher’s clock', () => {
    expect(dayStart('2024-05-01', 0).toISOString()).toBe('2024-05-01T00:00:00.000Z');
    expect(dayStart('2024-05-01', 120).toISOString()).toBe('2024-04-30T22:00:00.000Z');
    expect(dayStart('2024-05-01', -300).toISOString()).toBe('2024-05-01T05:00:00.000Z');
  });
});

describe('choosePlan', () => {
  const base = { wanted: 21, total: 10_000_000, filterShare: 1, periodShare: 1, senders: null, phraseLinks: 0 };
  const word = (rows: number) => ({ textMatches: rows, words: [{ rows, prefix: false }] });
  const most = { visible: 7_000_000, chats: 300 };
  const some = { visible: 450_000, chats: 12 };
  const few = { visible: 5_000, chats: 25 };
  it('collects a rare word for someone who sees much, and walks a common one', () => {
    expect(choosePlan({ ...base, ...most, ...word(300) }).shape).toBe('collect');
    expect(choosePlan({ ...base, ...most, ...word(500_000) }).shape).toBe('walk');
  });
  it('intersects with the chats a mid-frequency word for someone who sees a part', () => {
    expect(choosePlan({ ...base, ...some, ...word(10_000) }).shape).toBe('intersect');
    expect(choosePlan({ ...base, ...some, ...word(1_000_000) }).shape).toBe('walk');
  });
  it('walks chat by chat a common word for someone who sees little', () => {
    expect(choosePlan({ ...base, ...few, ...word(1_000_000) }).shape).toBe('per-chat');
  });
  it('walks only the period of after:/before:, so a recent period is walked chat by chat', () => {
    const image = { filterShare: 0.02 };
    const part = { visible: 300_000, chats: 42 };
    expect(choosePlan({ ...base, ...part, ...image, ...word(50_000) }).shape).toBe('intersect');
    const recent = choosePlan({ ...base, ...part, ...image, ...word(50_000), periodShare: 0.3 });
    expect(recent.shape).toBe('per-chat');
    expect(recent.rows['per-chat']).toBe(90_000);
  });
  it('counts a prefix’s lists once per chat', () => {
    const prefix = { textMatches: 50_000, words: [{ rows: 50_000, prefix: true }] };
    expect(choosePlan({ ...base, ...few, ...prefix }).shape).toBe('per-chat');
  });
  it('collects a rare word from a busy sender, walks a sender’s messages otherwise, and walks filters', () => {
    expect(choosePlan({ ...base, ...most, ...word(300), senders: { rows: 200_000, count: 1 } }).shape).toBe('collect');
    // A sender's index holds the words: reading all of a quiet sender's entries beats fetching matches.
    expect(choosePlan({ ...base, ...most, ...word(300), senders: { rows: 800, count: 1 } }).shape).toBe('sender');
    expect(choosePlan({ ...base, ...some, ...word(500_000), senders: { rows: 30_000, count: 1 } }).shape).toBe(
      'sender',
    );
    expect(choosePlan({ ...base, ...most, textMatches: null, words: [] }).shape).toBe('walk');
    expect(choosePlan({ ...base, ...few, textMatches: null, words: [] }).shape).toBe('per-chat');
  });
});

describe('toSegments', () => {
  it('cuts on the marks and merges neighbours', () => {
    expect(toSegments('We \u0001deploy\u0002 on \u0001Friday\u0002', 'We deploy on Friday')).toEqual([
      { text: 'We ', match: false },
      { text: 'deploy', match: true },
      { text: ' on ', match: false },
      { text: 'Friday', match: true },
    ]);
  });
  it('says where the message goes on', () => {
    const body = 'one two three four five six seven';
    expect(toSegments('three \u0001four\u0002 five', body)).toEqual([
      { text: '… three ', match: false },
      { text: 'four', match: true },
      { text: ' five …', match: false },
    ]);
  });
  it('shows the start of the message when there is nothing to mark', () => {
    expect(toSegments(null, 'hello')).toEqual([{ text: 'hello', match: false }]);
    expect(toSegments(null, '')).toEqual([]);
    expect(toSegments(null, 'x'.repeat(300))[0]?.text).toHaveLength(202);
  });
});
