/**
 * A latency histogram with buckets 1% wide (log scale from 10 µs), so that
 * percentiles are within 1% and histograms from several processes merge by
 * adding counts. The maximum is kept exactly.
 */
const MIN_MS = 0.01;
const GROWTH = Math.log(1.01);

export interface HistogramData {
  counts: Record<number, number>;
  count: number;
  max: number;
  sum: number;
}

export class Histogram {
  private readonly counts = new Map<number, number>();
  count = 0;
  max = 0;
  sum = 0;

  record(ms: number): void {
    const value = Math.max(ms, 0);
    const bucket = value <= MIN_MS ? 0 : Math.ceil(Math.log(value / MIN_MS) / GROWTH);
    this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + 1);
    this.count += 1;
    this.sum += value;
    if (value > this.max) this.max = value;
  }

  /** The value below which `p` (0–100) percent of the samples fall; 0 when empty. */
  percentile(p: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (const bucket of [...this.counts.keys()].sort((a, b) => a - b)) {
      seen += this.counts.get(bucket) ?? 0;
      if (seen >= rank) return Math.min(MIN_MS * Math.exp(bucket * GROWTH), this.max);
    }
    return this.max;
  }

  get mean(): number {
    return this.count === 0 ? 0 : this.sum / this.count;
  }

  merge(other: HistogramData): void {
    for (const [bucket, n] of Object.entries(other.counts)) {
      const b = Number(bucket);
      this.counts.set(b, (this.counts.get(b) ?? 0) + n);
    }
    this.count += other.count;
    this.sum += other.sum;
    if (other.max > this.max) this.max = other.max;
  }

  toData(): HistogramData {
    return { counts: Object.fromEntries(this.counts), count: this.count, max: this.max, sum: this.sum };
  }

  static from(data: HistogramData): Histogram {
    const h = new Histogram();
    h.merge(data);
    return h;
  }
}
