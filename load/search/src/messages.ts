/**
 * Writes the corpus's messages with COPY, generated here as a stream: times
 * evenly spread over the span (so the table is in time order, as a live one
 * is), each message in a chat drawn by its expected share, seq counted per
 * chat, a random member as sender, and a body of 1–50 words (mean about 10)
 * whose ranks follow Zipf's law over the vocabulary. 0.3% are deleted (body
 * null, as the app leaves them).
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { Sql } from 'postgres';

export interface SeedChat {
  chatId: string;
  members: string[];
  /** Expected number of messages: the chat's share of the corpus. */
  n: number;
}

export interface MessageStreamOptions {
  chats: SeedChat[];
  vocabulary: string[];
  total: number;
  spanDays: number;
  /** Deterministic draws for reproducible corpora. */
  random: () => number;
  onProgress?: (written: number) => void;
}

/** Draws a chat index in proportion to `n`, by binary search over the running sum. */
function chatSampler(chats: SeedChat[], random: () => number): () => number {
  const cumulative = new Float64Array(chats.length);
  let sum = 0;
  chats.forEach((c, i) => {
    sum += c.n;
    cumulative[i] = sum;
  });
  return () => {
    const target = random() * sum;
    let lo = 0;
    let hi = chats.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] ?? 0) < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

function body(vocabulary: string[], random: () => number): string {
  const length = 1 + Math.min(49, Math.floor(-Math.log(1 - random()) * 9));
  const size = vocabulary.length;
  const words: string[] = [];
  for (let i = 0; i < length; i++) {
    const rank = Math.min(size, Math.floor((size + 1) ** random()));
    words.push(vocabulary[rank - 1] ?? '');
  }
  const text = words.join(' ');
  // Some people start with a capital and end with a question.
  const r = random();
  if (r < 0.3) return `${text.charAt(0).toUpperCase()}${text.slice(1)}${r < 0.08 ? '?' : ''}`;
  return text;
}

/** COPY text-format rows, in batches of about 1,000. */
function* rows(options: MessageStreamOptions): Generator<string> {
  const { chats, vocabulary, total, random } = options;
  const pickChat = chatSampler(chats, random);
  const seqs = new Int32Array(chats.length);
  const spanMs = options.spanDays * 86_400_000;
  const start = Date.now() - spanMs;
  let batch: string[] = [];
  for (let i = 0; i < total; i++) {
    const c = pickChat();
    const chat = chats[c];
    if (!chat) throw new Error('chat index out of range');
    const seq = (seqs[c] ?? 0) + 1;
    seqs[c] = seq;
    const sender = chat.members[Math.floor(random() * chat.members.length)];
    const at = new Date(start + (spanMs * (i + random())) / total);
    const deleted = random() < 0.003;
    const text = deleted ? '\\N' : body(vocabulary, random);
    const deletedAt = deleted ? new Date(at.getTime() + 60_000).toISOString() : '\\N';
    batch.push(`${randomUUID()}\t${chat.chatId}\t${sender}\t${seq}\t${text}\t${at.toISOString()}\t${deletedAt}\n`);
    if (batch.length === 1000) {
      yield batch.join('');
      batch = [];
      options.onProgress?.(i + 1);
    }
  }
  if (batch.length > 0) yield batch.join('');
  options.onProgress?.(total);
}

/** Two COPY streams fed in turn, so the server parses and indexes on both cores. */
export async function copyMessages(sql: Sql, options: MessageStreamOptions, streams = 2): Promise<void> {
  const writables = await Promise.all(
    Array.from({ length: streams }, () =>
      sql`copy messages (id, chat_id, sender_id, seq, body, created_at, deleted_at) from stdin`.writable(),
    ),
  );
  let turn = 0;
  for (const chunk of rows(options)) {
    const target = writables[turn++ % writables.length];
    if (!target) throw new Error('no stream');
    if (!target.write(chunk)) await once(target, 'drain');
  }
  for (const w of writables) w.end();
  await Promise.all(writables.map((w) => finished(w)));
}
