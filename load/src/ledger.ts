/**
 * The accounting of one agent (one process's share of the connections), and
 * the tally that merges every agent's books into the run's figures.
 *
 * A chat's messages reach each member's stream in seq order, so each
 * connection keeps, per chat, a bitmap of the seqs it received: a seq seen
 * twice is a duplicate. Senders keep the seqs the server acknowledged. At the
 * end, every acknowledged message is owed to each connection of each member
 * (`audience`); what did not arrive within the grace period is lost.
 */
import { Histogram, type HistogramData } from './histogram';

export interface LedgerReport {
  sent: number;
  /** chatId → the seqs the server acknowledged (stored and committed). */
  acked: Record<string, number[]>;
  /** chatId → [seq, connections that received it] pairs. */
  received: Record<string, Array<[number, number]>>;
  duplicates: number;
  latency: HistogramData;
  sendLatency: HistogramData;
  errors: Record<string, number>;
  examples: Record<string, string>;
  /**
   * The connections that were not live when the books were taken: each
   * one's chats and the seqs it received there, so that the tally can say
   * how much of what was lost was owed to a connection that never came back.
   */
  down: Array<{ chats: string[]; received: Record<string, number[]> }>;
}

class SeqBitmap {
  private bits = new Uint8Array(64);

  /** Marks `seq`; false when it was already marked. */
  mark(seq: number): boolean {
    const byte = seq >> 3;
    if (byte >= this.bits.length) {
      const grown = new Uint8Array(Math.max(this.bits.length * 2, byte + 1));
      grown.set(this.bits);
      this.bits = grown;
    }
    const mask = 1 << (seq & 7);
    const current = this.bits[byte] ?? 0;
    if (current & mask) return false;
    this.bits[byte] = current | mask;
    return true;
  }

  /** The seqs marked, in order. */
  seqs(): number[] {
    const out: number[] = [];
    for (let byte = 0; byte < this.bits.length; byte++) {
      const bits = this.bits[byte] ?? 0;
      if (bits === 0) continue;
      for (let bit = 0; bit < 8; bit++) if (bits & (1 << bit)) out.push(byte * 8 + bit);
    }
    return out;
  }
}

export class Ledger {
  private readonly seen = new Map<number, Map<string, SeqBitmap>>();
  private readonly received = new Map<string, Map<number, number>>();
  private readonly acked = new Map<string, number[]>();
  readonly latency = new Histogram();
  /** Latency since the last progress line; replaced by whoever reads it. */
  recentLatency = new Histogram();
  readonly sendLatency = new Histogram();
  readonly errors = new Map<string, number>();
  /** The first message seen of each kind of error, for the summary. */
  readonly examples = new Map<string, string>();
  sent = 0;
  ackedCount = 0;
  sendFailed = 0;
  delivered = 0;
  duplicates = 0;
  /** Deliveries owed for the acknowledged messages so far (for the grace period's early end). */
  owed = 0;

  recordSent(): void {
    this.sent += 1;
  }

  recordAck(chatId: string, seq: number, sendMs: number, audience: number): void {
    let seqs = this.acked.get(chatId);
    if (!seqs) {
      seqs = [];
      this.acked.set(chatId, seqs);
    }
    seqs.push(seq);
    this.ackedCount += 1;
    this.owed += audience;
    this.sendLatency.record(sendMs);
  }

  /** A send that got no ack: failed, or timed out (it may still have been stored). */
  recordSendFailure(kind: string, example?: string): void {
    this.sendFailed += 1;
    this.recordError(kind, example);
  }

  recordError(kind: string, example?: string): void {
    this.errors.set(kind, (this.errors.get(kind) ?? 0) + 1);
    if (example && !this.examples.has(kind)) this.examples.set(kind, example.slice(0, 300));
  }

  /** One `message.created` on connection `conn`; latency is undefined for messages not sent by a load tool. */
  recordDelivery(conn: number, chatId: string, seq: number, latencyMs: number | undefined): 'new' | 'duplicate' {
    let chats = this.seen.get(conn);
    if (!chats) {
      chats = new Map();
      this.seen.set(conn, chats);
    }
    let bitmap = chats.get(chatId);
    if (!bitmap) {
      bitmap = new SeqBitmap();
      chats.set(chatId, bitmap);
    }
    if (!bitmap.mark(seq)) {
      this.duplicates += 1;
      return 'duplicate';
    }
    let counts = this.received.get(chatId);
    if (!counts) {
      counts = new Map();
      this.received.set(chatId, counts);
    }
    counts.set(seq, (counts.get(seq) ?? 0) + 1);
    this.delivered += 1;
    if (latencyMs !== undefined) {
      this.latency.record(latencyMs);
      this.recentLatency.record(latencyMs);
    }
    return 'new';
  }

  /** What connection `conn` received, per chat (for `LedgerReport.down`). */
  receivedBy(conn: number): Record<string, number[]> {
    const chats = this.seen.get(conn);
    return chats ? Object.fromEntries([...chats].map(([chat, bitmap]) => [chat, bitmap.seqs()])) : {};
  }

  report(down: LedgerReport['down'] = []): LedgerReport {
    return {
      sent: this.sent,
      acked: Object.fromEntries(this.acked),
      received: Object.fromEntries([...this.received].map(([chat, counts]) => [chat, [...counts]])),
      duplicates: this.duplicates,
      latency: this.latency.toData(),
      sendLatency: this.sendLatency.toData(),
      errors: Object.fromEntries(this.errors),
      examples: Object.fromEntries(this.examples),
      down,
    };
  }
}

export interface Tally {
  sent: number;
  /** Acknowledged by the server: committed. */
  stored: number;
  /** Deliveries owed: each stored message to every connection of every member. */
  expected: number;
  /** Owed deliveries that arrived. */
  delivered: number;
  /** Owed deliveries that never arrived. */
  lost: number;
  /** Connections not live at the end, and how much of `lost` was owed to them. */
  down: { connections: number; lost: number };
  /** Deliveries of messages whose send was not acknowledged (stored, but the reply failed). */
  deliveredUnacked: number;
  duplicated: number;
  latency: Histogram;
  sendLatency: Histogram;
  errors: Record<string, number>;
  examples: Record<string, string>;
}

/** Merges the agents' books; `audience(chatId)` is members × connections per member. */
export function tally(reports: LedgerReport[], audience: (chatId: string) => number): Tally {
  const acked = new Map<string, Set<number>>();
  const received = new Map<string, Map<number, number>>();
  const t: Tally = {
    sent: 0,
    stored: 0,
    expected: 0,
    delivered: 0,
    lost: 0,
    down: { connections: 0, lost: 0 },
    deliveredUnacked: 0,
    duplicated: 0,
    latency: new Histogram(),
    sendLatency: new Histogram(),
    errors: {},
    examples: {},
  };
  for (const r of reports) {
    t.sent += r.sent;
    t.duplicated += r.duplicates;
    t.latency.merge(r.latency);
    t.sendLatency.merge(r.sendLatency);
    for (const [kind, n] of Object.entries(r.errors)) t.errors[kind] = (t.errors[kind] ?? 0) + n;
    for (const [kind, text] of Object.entries(r.examples)) t.examples[kind] ??= text;
    for (const [chat, seqs] of Object.entries(r.acked)) {
      const set = acked.get(chat) ?? new Set<number>();
      for (const s of seqs) set.add(s);
      acked.set(chat, set);
    }
    for (const [chat, pairs] of Object.entries(r.received)) {
      const counts = received.get(chat) ?? new Map<number, number>();
      for (const [seq, n] of pairs) counts.set(seq, (counts.get(seq) ?? 0) + n);
      received.set(chat, counts);
    }
  }
  for (const [chat, seqs] of acked) {
    const owed = audience(chat);
    const counts = received.get(chat);
    for (const seq of seqs) {
      const got = Math.min(counts?.get(seq) ?? 0, owed);
      t.stored += 1;
      t.expected += owed;
      t.delivered += got;
      t.lost += owed - got;
    }
  }
  for (const r of reports) {
    for (const conn of r.down ?? []) {
      t.down.connections += 1;
      for (const chat of conn.chats) {
        const got = new Set(conn.received[chat] ?? []);
        for (const seq of acked.get(chat) ?? []) if (!got.has(seq)) t.down.lost += 1;
      }
    }
  }
  for (const [chat, counts] of received) {
    const seqs = acked.get(chat);
    for (const [seq, n] of counts) if (!seqs?.has(seq)) t.deliveredUnacked += n;
  }
  return t;
}
