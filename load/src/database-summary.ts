/**
 * PostgreSQL's side of a run, as figures per second and per event, and the
 * hubs' NOTIFY traffic (docs/capacity.md reads these).
 */
import type { RunResult } from './run';

const n = (v: number) => Math.round(v).toLocaleString('en');
const f = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : '–');

export interface DatabaseFigures {
  seconds: number;
  commitsPerSecond: number;
  /** `tup_returned`: rows from sequential scans and index entries from index scans. */
  rowsReadPerSecond: number;
  /** `tup_fetched`: rows fetched from the table by index scans. */
  rowsFetchedPerSecond: number;
  rowsInsertedPerSecond: number;
  blocksHitPerSecond: number;
  blocksReadPerSecond: number;
  eventsPerSecond: number;
  eventTransactionsPerSecond: number;
  eventsPerTransaction: number;
  rowsReadPerEvent: number;
  rowsReadPerEventTransaction: number;
  rowsReadPerDelivery: number;
  /** Rows of `events` read (sequential + by index) per event written: about one per process that reads it. */
  eventRowsReadPerEvent: number;
  /** Mean number of the run's backends seen in each state/wait per sample. */
  waits: Array<{ state: string; wait: string; meanBackends: number }>;
  advisoryLockWaitMean: number;
  hubs?: {
    processes: number;
    notifiesSentPerSecond: number;
    notifiesHeardPerSecond: number;
    readsPerSecond: number;
    rowsReadPerSecond: number;
    rowsHandedOverPerSecond: number;
    perProcess: Array<{ sent: number; heard: number; reads: number; rowsRead: number; handedOver: number } | null>;
  };
}

export function databaseFigures(r: RunResult): DatabaseFigures | undefined {
  const d = r.database;
  if (!d || d.seconds <= 0) return undefined;
  const s = d.seconds;
  const deliveries = r.tally.delivered;
  const ev = r.database?.tables.find((t) => t.table === 'events');
  const waits = d.waits.map((w) => ({
    state: w.state,
    wait: w.wait,
    meanBackends: d.waitSamples > 0 ? w.seen / d.waitSamples : 0,
  }));
  const out: DatabaseFigures = {
    seconds: s,
    commitsPerSecond: d.stat.xact_commit / s,
    rowsReadPerSecond: d.stat.tup_returned / s,
    rowsFetchedPerSecond: d.stat.tup_fetched / s,
    rowsInsertedPerSecond: d.stat.tup_inserted / s,
    blocksHitPerSecond: d.stat.blks_hit / s,
    blocksReadPerSecond: d.stat.blks_read / s,
    eventsPerSecond: d.events / s,
    eventTransactionsPerSecond: d.eventTransactions / s,
    eventsPerTransaction: d.eventTransactions > 0 ? d.events / d.eventTransactions : 0,
    rowsReadPerEvent: d.events > 0 ? d.stat.tup_returned / d.events : 0,
    rowsReadPerEventTransaction: d.eventTransactions > 0 ? d.stat.tup_returned / d.eventTransactions : 0,
    rowsReadPerDelivery: deliveries > 0 ? d.stat.tup_returned / deliveries : 0,
    eventRowsReadPerEvent: ev && d.events > 0 ? (ev.seqRowsRead + ev.indexRowsFetched) / d.events : 0,
    waits,
    advisoryLockWaitMean: waits.filter((w) => w.wait === 'Lock/advisory').reduce((t, w) => t + w.meanBackends, 0),
  };
  const hubs = r.hubs;
  if (hubs && hubs.length > 0) {
    const sum = (k: 'notifiesSent' | 'notifiesHeard' | 'reads' | 'rowsRead' | 'rowsHandedOver') =>
      hubs.reduce((t, h) => t + (h?.[k] ?? 0), 0) / s;
    out.hubs = {
      processes: hubs.length,
      notifiesSentPerSecond: sum('notifiesSent'),
      notifiesHeardPerSecond: sum('notifiesHeard'),
      readsPerSecond: sum('reads'),
      rowsReadPerSecond: sum('rowsRead'),
      rowsHandedOverPerSecond: sum('rowsHandedOver'),
      perProcess: hubs.map((h) =>
        h
          ? {
              sent: h.notifiesSent,
              heard: h.notifiesHeard,
              reads: h.reads,
              rowsRead: h.rowsRead,
              handedOver: h.rowsHandedOver,
            }
          : null,
      ),
    };
  }
  return out;
}

export function databaseLines(r: RunResult): string[] {
  const d = databaseFigures(r);
  if (!d) return [];
  const waits = d.waits
    .slice(0, 6)
    .map((w) => `${w.wait}${w.state === 'active' ? '' : ` (${w.state})`} ${f(w.meanBackends, 2)}`)
    .join(', ');
  const lines = [
    `postgres     over ${f(d.seconds)} s: ${n(d.commitsPerSecond)} commits/s, rows read ${n(d.rowsReadPerSecond)}/s (fetched ${n(d.rowsFetchedPerSecond)}/s), inserted ${n(d.rowsInsertedPerSecond)}/s, blocks hit ${n(d.blocksHitPerSecond)}/s read ${n(d.blocksReadPerSecond)}/s`,
    `event log    ${n(d.eventsPerSecond)} events/s in ${n(d.eventTransactionsPerSecond)} transactions/s (${f(d.eventsPerTransaction, 2)} per transaction); rows read per event ${f(d.rowsReadPerEvent)}, per event transaction ${f(d.rowsReadPerEventTransaction)}, per delivery ${f(d.rowsReadPerDelivery, 2)}; event rows read per event ${f(d.eventRowsReadPerEvent, 2)}`,
    `pg waits     mean backends per sample: ${waits || 'none seen'}`,
  ];
  const h = d.hubs;
  if (h) {
    const per = h.perProcess.map((p) => (p ? `${n(p.sent)}/${n(p.heard)}/${n(p.reads)}` : '?')).join(' ');
    lines.push(
      `hubs         ${h.processes} process(es): NOTIFY sent ${f(h.notifiesSentPerSecond)}/s, heard ${f(h.notifiesHeardPerSecond)}/s; log reads ${f(h.readsPerSecond)}/s returning ${n(h.rowsReadPerSecond)} rows/s, ${n(h.rowsHandedOverPerSecond)} rows/s handed over unread; per process sent/heard/reads: ${per}`,
    );
  }
  return lines;
}
