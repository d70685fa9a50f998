/**
 * Group commit for work that arrives together: items that come in while a
 * batch is in flight wait, then go together as the next batch, so they share
 * one round trip and one commit; a lone item waits for nothing (a microtask).
 * The send path uses it (docs/send-path.md, "Arriving together").
 *
 * `keys(item)` names what an item must not share with work in flight:
 * `exclusive` keys also keep two items with the same key out of one batch
 * (a message id, an upload), `serial` keys only keep an item out while a
 * batch holding the key is in flight (a chat: its sends are numbered in the
 * order they arrived, so one batch at a time may hold them). An item that
 * cannot go now stays, in arrival order, for the next batch.
 */
export interface BatchKeys {
  exclusive: readonly string[];
  serial: readonly string[];
}

export interface BatcherOptions<I, O> {
  /** Runs one batch; resolves one outcome per item, in order. */
  run(batch: readonly I[]): Promise<O[]>;
  keys(item: I): BatchKeys;
  /** Items in one batch, at most. */
  maxBatch: number;
  /** Batches in flight at once: a slow one does not hold up the rest. */
  maxInFlight: number;
}

interface Pending<I, O> {
  item: I;
  keys: BatchKeys;
  resolve: (outcome: O) => void;
  reject: (error: unknown) => void;
}

export class Batcher<I, O> {
  private readonly waiting: Pending<I, O>[] = [];
  /** Keys of batches in flight, with how many batches hold each. */
  private readonly flying = new Map<string, number>();
  private inFlight = 0;
  private scheduled = false;

  constructor(private readonly options: BatcherOptions<I, O>) {}

  /** The item's outcome, once the batch it went in has run. */
  submit(item: I): Promise<O> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, keys: this.options.keys(item), resolve, reject });
      // Items that arrive in the same turn (a burst of WebSocket calls) go together.
      if (this.scheduled) return;
      this.scheduled = true;
      queueMicrotask(() => {
        this.scheduled = false;
        this.pump();
      });
    });
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlight) {
      const batch = this.take();
      if (batch.length === 0) return;
      this.inFlight += 1;
      const held = batch.flatMap((p) => [...p.keys.exclusive, ...p.keys.serial]);
      for (const key of held) this.flying.set(key, (this.flying.get(key) ?? 0) + 1);
      void this.run(batch).finally(() => {
        this.inFlight -= 1;
        for (const key of held) {
          const n = (this.flying.get(key) ?? 1) - 1;
          if (n > 0) this.flying.set(key, n);
          else this.flying.delete(key);
        }
        this.pump();
      });
    }
  }

  /** The next batch, in arrival order; what cannot go now stays, in order. */
  private take(): Pending<I, O>[] {
    const batch: Pending<I, O>[] = [];
    const taken = new Set<string>();
    let kept = 0;
    for (const p of this.waiting) {
      const { exclusive, serial } = p.keys;
      const fits =
        batch.length < this.options.maxBatch &&
        exclusive.every((k) => !taken.has(k) && !this.flying.has(k)) &&
        serial.every((k) => !this.flying.has(k));
      if (fits) {
        batch.push(p);
        for (const k of exclusive) taken.add(k);
      } else {
        this.waiting[kept++] = p;
      }
    }
    this.waiting.length = kept;
    return batch;
  }

  private async run(batch: Pending<I, O>[]): Promise<void> {
    try {
      const outcomes = await this.options.run(batch.map((p) => p.item));
      batch.forEach((p, i) => {
        if (i < outcomes.length) p.resolve(outcomes[i] as O);
        else p.reject(new Error('a batched item has no outcome'));
      });
    } catch (error) {
      for (const p of batch) p.reject(error);
    }
  }
}
