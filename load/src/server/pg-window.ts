/**
 * PostgreSQL's side of a run's measured window (docs/capacity.md): the
 * deltas of `pg_stat_database` and `pg_stat_user_tables` for the run's
 * database, the events written and the transactions that wrote them, and
 * what the run's backends were waiting on, sampled from `pg_stat_activity`.
 * `pg_stat_statements` is not needed (it must be preloaded, which means a
 * restart). Backends report their statistics at most once a second when
 * busy, so a window of 20 s or more is counted to within a few percent.
 */
import { connectPostgres } from '@chat/db';

const STAT_KEYS = [
  'xact_commit',
  'xact_rollback',
  'tup_returned',
  'tup_fetched',
  'tup_inserted',
  'tup_updated',
  'tup_deleted',
  'blks_hit',
  'blks_read',
] as const;
export type StatKey = (typeof STAT_KEYS)[number];

export interface TableUse {
  table: string;
  seqScans: number;
  seqRowsRead: number;
  indexScans: number;
  indexRowsFetched: number;
  inserted: number;
}

export interface WaitCount {
  /** `active`, `idle in transaction`, … */
  state: string;
  /** `Lock/advisory`, `IO/WALSync`, `Client/ClientRead`; `CPU` where the backend waits on nothing named. */
  wait: string;
  /** Backends seen in that state, summed over the samples. */
  seen: number;
}

export interface DatabaseUse {
  seconds: number;
  /** Deltas of pg_stat_database for the run's database. */
  stat: Record<StatKey, number>;
  /** Deltas per table, those read or written most first. */
  tables: TableUse[];
  /** Event rows written in the window, and the transactions that wrote them (distinct xmin). */
  events: number;
  eventTransactions: number;
  /** pg_stat_activity samples of the run's backends (other than idle ones). */
  waitSamples: number;
  waits: WaitCount[];
}

interface Snapshot {
  at: number;
  stat: Record<StatKey, number>;
  tables: Map<string, TableUse>;
  lastEventId: number;
}

type Sql = ReturnType<typeof connectPostgres>;

export class DatabaseWindow {
  private begun: Snapshot | undefined;
  private sampler: NodeJS.Timeout | undefined;
  private sampling: Promise<void> = Promise.resolve();
  private samples = 0;
  private readonly waits = new Map<string, WaitCount>();

  private constructor(
    private readonly run: Sql,
    private readonly admin: Sql,
    private readonly name: string,
    private readonly sampleMs: number,
  ) {}

  /**
   * `adminUrl`'s database is where the wait sampler connects, so its own
   * queries do not count in the run database's statistics.
   */
  static open(databaseUrl: string, adminUrl: string, sampleMs = 100): DatabaseWindow {
    const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
    return new DatabaseWindow(
      connectPostgres(databaseUrl, { max: 1, onnotice: () => {} }),
      connectPostgres(adminUrl, { max: 1, onnotice: () => {} }),
      name,
      sampleMs,
    );
  }

  async begin(): Promise<void> {
    this.begun = await this.snapshot();
    this.sampler = setInterval(() => {
      this.sampling = this.sampling.then(() => this.sample()).catch(() => {});
    }, this.sampleMs);
  }

  async end(): Promise<DatabaseUse | undefined> {
    clearInterval(this.sampler);
    await this.sampling;
    const a = this.begun;
    if (!a) return undefined;
    const b = await this.snapshot();
    const stat = Object.fromEntries(STAT_KEYS.map((k) => [k, b.stat[k] - a.stat[k]])) as Record<StatKey, number>;
    const tables: TableUse[] = [];
    for (const [table, t] of b.tables) {
      const o = a.tables.get(table);
      const d: TableUse = {
        table,
        seqScans: t.seqScans - (o?.seqScans ?? 0),
        seqRowsRead: t.seqRowsRead - (o?.seqRowsRead ?? 0),
        indexScans: t.indexScans - (o?.indexScans ?? 0),
        indexRowsFetched: t.indexRowsFetched - (o?.indexRowsFetched ?? 0),
        inserted: t.inserted - (o?.inserted ?? 0),
      };
      if (d.seqScans + d.indexScans + d.inserted > 0) tables.push(d);
    }
    tables.sort((x, y) => y.seqRowsRead + y.indexRowsFetched - (x.seqRowsRead + x.indexRowsFetched));
    const [written] = await this.run<Array<{ events: string; xacts: string }>>`
      select count(*) as events, count(distinct xmin::text) as xacts
      from events where id > ${a.lastEventId} and id <= ${b.lastEventId}`;
    return {
      seconds: (b.at - a.at) / 1000,
      stat,
      tables,
      events: Number(written?.events ?? 0),
      eventTransactions: Number(written?.xacts ?? 0),
      waitSamples: this.samples,
      waits: [...this.waits.values()].sort((x, y) => y.seen - x.seen),
    };
  }

  async close(): Promise<void> {
    clearInterval(this.sampler);
    await Promise.allSettled([this.run.end({ timeout: 2 }), this.admin.end({ timeout: 2 })]);
  }

  private async snapshot(): Promise<Snapshot> {
    const at = performance.now();
    // A fresh view of the statistics, not the one cached for this connection's transaction.
    const [db] = await this.run.unsafe<Array<Record<StatKey, string>>>(
      `select ${STAT_KEYS.join(', ')} from pg_stat_database where datname = current_database()`,
    );
    const rows = await this.run<
      Array<{
        relname: string;
        seq_scan: string;
        seq_tup_read: string;
        idx_scan: string | null;
        idx_tup_fetch: string | null;
        n_tup_ins: string;
      }>
    >`select relname, seq_scan, seq_tup_read, idx_scan, idx_tup_fetch, n_tup_ins from pg_stat_user_tables`;
    const [head] = await this.run<Array<{ id: string }>>`select coalesce(max(id), 0) as id from events`;
    const tables = new Map<string, TableUse>();
    for (const r of rows) {
      tables.set(r.relname, {
        table: r.relname,
        seqScans: Number(r.seq_scan),
        seqRowsRead: Number(r.seq_tup_read),
        indexScans: Number(r.idx_scan ?? 0),
        indexRowsFetched: Number(r.idx_tup_fetch ?? 0),
        inserted: Number(r.n_tup_ins),
      });
    }
    const stat = Object.fromEntries(STAT_KEYS.map((k) => [k, Number(db?.[k] ?? 0)])) as Record<StatKey, number>;
    return { at, stat, tables, lastEventId: Number(head?.id ?? 0) };
  }

  private async sample(): Promise<void> {
    const rows = await this.admin<Array<{ state: string; wait: string; n: string }>>`
      select state, coalesce(wait_event_type || '/' || wait_event, 'CPU') as wait, count(*) as n
      from pg_stat_activity
      where datname = ${this.name} and state is not null and state <> 'idle'
      group by 1, 2`;
    this.samples += 1;
    for (const r of rows) {
      const key = `${r.state}|${r.wait}`;
      const w = this.waits.get(key) ?? { state: r.state, wait: r.wait, seen: 0 };
      w.seen += Number(r.n);
      this.waits.set(key, w);
    }
  }
}
