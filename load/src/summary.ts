/** The end of a run: the summary as text and as JSON, and the exit code (1 if anything was lost or duplicated). */
import { databaseFigures, databaseLines } from './database-summary';
import type { RunResult } from './run';

const n = (v: number) => Math.round(v).toLocaleString('en');
const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
const mb = (bytes: number) => `${n(bytes / 2 ** 20)} MB`;
const pct = (part: number, whole: number) => (whole > 0 ? `${((part / whole) * 100).toFixed(0)}%` : '–');

export function summaryJson(r: RunResult) {
  const t = r.tally;
  const latency = (h: typeof t.latency) => ({
    p50: h.percentile(50),
    p95: h.percentile(95),
    p99: h.percentile(99),
    max: h.max,
  });
  return {
    population: r.population,
    transport: r.options.transport,
    reader: r.options.reader,
    ...(r.options.transport === 'poll' ? { pollWaitMs: r.options['poll-wait'] } : {}),
    sendOver: r.options['send-over'],
    fetch: r.options.fetch,
    rate: r.options.rate,
    connections: r.connections,
    sendSeconds: r.sendSeconds,
    sent: t.sent,
    stored: t.stored,
    storedPerSecond: t.stored / r.sendSeconds,
    expected: t.expected,
    delivered: t.delivered,
    deliveredPerSecond: t.delivered / r.sendSeconds,
    lost: t.lost,
    lostToConnectionsDown: t.down.lost,
    connectionsDown: t.down.connections,
    duplicated: t.duplicated,
    deliveredUnacked: t.deliveredUnacked,
    deliveryLatencyMs: latency(t.latency),
    sendLatencyMs: latency(t.sendLatency),
    errors: t.errors,
    usage: r.usage,
    storms: r.storms,
    ceilings: r.ceilings,
    ...(r.database ? { database: databaseFigures(r), databaseRaw: r.database } : {}),
    ...(r.hubs ? { hubs: r.hubs } : {}),
  };
}

export function exitCode(r: RunResult): number {
  const t = r.tally;
  if (t.lost > 0 || t.duplicated > 0) return 1;
  // A run that stored nothing proved nothing.
  if (r.options.rate > 0 && r.options.duration > 0 && t.stored === 0) return 1;
  return 0;
}

export function summaryText(r: RunResult): string {
  const t = r.tally;
  const s = r.sendSeconds;
  const o = r.options;
  const lat = (h: typeof t.latency) =>
    `p50 ${ms(h.percentile(50))}  p95 ${ms(h.percentile(95))}  p99 ${ms(h.percentile(99))}  max ${ms(h.max)}`;
  const errors = Object.entries(t.errors)
    .sort((a, b) => b[1] - a[1])
    .map(([kind, count]) => `${kind} ${n(count)}`)
    .join(', ');
  const u = r.usage;
  const lines = [
    '',
    `== load: ${o.users} users x ${o.connections} connection(s) over ${o.transport === 'poll' ? (o['poll-wait'] > 0 ? `long-polling (held up to ${o['poll-wait']} ms)` : `polling (every ${o['poll-interval']} ms)`) : o.transport} (${o.reader} reader), ${o.rate} msg/s for ${s.toFixed(1)} s (${o['send-over'] === 'ws' ? 'sends over the WebSocket' : `${o.fetch} fetch`})`,
    `population   ${r.population}`,
    `streams      ${n(r.connections.ready)}/${n(r.connections.connections)} live after ${(r.connections.rampMs / 1000).toFixed(1)} s, ${n(r.liveAtEnd)} when sending ended`,
    `messages     sent ${n(t.sent)}  stored ${n(t.stored)} (${(t.stored / s).toFixed(1)}/s)  unacknowledged ${n(t.sent - t.stored)}`,
    `deliveries   expected ${n(t.expected)}  delivered ${n(t.delivered)} (${n(t.delivered / s)}/s)  lost ${n(t.lost)}${t.down.connections > 0 ? ` (${n(t.down.lost)} owed to ${n(t.down.connections)} connection(s) not live at the end)` : ''}  duplicated ${n(t.duplicated)}  of unacknowledged sends ${n(t.deliveredUnacked)}`,
    `delivery ms  ${lat(t.latency)}`,
    `send ms      ${lat(t.sendLatency)}`,
    `errors       ${errors || 'none'}`,
  ];
  if (u.server !== undefined || u.machine !== undefined) {
    const parts = [
      u.server !== undefined ? `server ${u.server.toFixed(2)} cores` : undefined,
      u.serverRss ? `RSS ${mb(u.serverRss)} (peak ${mb(u.serverPeakRss ?? 0)})` : undefined,
      u.serverRss && u.serverRssBefore && r.liveAtEnd > 0
        ? `${((u.serverRss - u.serverRssBefore) / r.liveAtEnd / 1024).toFixed(1)} KiB more per live stream (${n(r.liveAtEnd)} live; ${mb(u.serverRssBefore)} before any)`
        : undefined,
      u.postgres !== undefined ? `PostgreSQL ${u.postgres.toFixed(2)} cores` : undefined,
      u.tool !== undefined ? `load tool ${u.tool.toFixed(2)} cores` : undefined,
      u.machine !== undefined ? `machine ${u.machine.toFixed(2)} cores busy` : undefined,
      u.others !== undefined
        ? `other processes ${u.others.toFixed(2)} cores${u.others > 0.2 ? ' (the machine was not ours alone: figures are skewed)' : ''}`
        : undefined,
    ];
    lines.push(`cpu/memory   ${parts.filter(Boolean).join(', ')}`);
  }
  lines.push(...databaseLines(r));
  for (const st of r.storms) {
    const rss = st.rssAfterMiB === undefined ? '' : `, server RSS ${n(st.rssAfterMiB)} MB after`;
    lines.push(
      `storm        ${n(st.resumed)}/${n(st.dropped)} dropped streams resumed in ${(st.resumeMs / 1000).toFixed(2)} s${rss}`,
    );
  }
  const c = r.ceilings;
  if (c.ws) {
    lines.push(
      `ceiling ws   ${n(c.ws.deliveriesPerSecond)} deliveries/s to ${n(c.ws.connections)} bare connections; ours ${n(t.delivered / s)}/s = ${pct(t.delivered / s, c.ws.deliveriesPerSecond)}`,
    );
  }
  if (c.pgbench) {
    lines.push(
      `ceiling pg   pgbench ${n(c.pgbench.insertFtsTps)} inserts/s into a copy of messages (${n(c.pgbench.insertTps)} without its search columns), ${c.pgbench.clients} clients; ours ${(t.stored / s).toFixed(0)} stored/s = ${pct(t.stored / s, c.pgbench.insertFtsTps)}`,
    );
  }
  for (const [kind, text] of Object.entries(t.examples)) lines.push(`first ${kind}: ${text}`);
  for (const note of c.notes) lines.push(`note         ${note}`);
  const code = exitCode(r);
  lines.push(
    code === 0
      ? 'RESULT       OK: nothing lost, nothing duplicated'
      : `RESULT       FAILED: lost ${n(t.lost)}, duplicated ${n(t.duplicated)}, stored ${n(t.stored)}`,
  );
  return lines.join('\n');
}
