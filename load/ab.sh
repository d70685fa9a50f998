#!/usr/bin/env bash
# A/B of the figures a change must hold: bench:send's server CPU per send
# (over HTTP and over the WebSocket), scenario 1 with sends over the socket,
# scenario 6 (durable writes) and scenario 5 (memory per idle stream), each
# run in OLD and NEW alternately (old, new, old, new, …) in one sitting, so
# that the machine's hour weighs on both alike. Each checkout runs its own
# load tool against its own server (`--start-server`: a fresh database each
# run). Prints a markdown table of medians, then every run's figures.
#
#   load/ab.sh OLD_DIR NEW_DIR [OUT_DIR]
#
#   AB_RUNS=3                                 runs of each version per benchmark
#   AB_BENCHES="send-http send-ws s1 s6 s5"   which benchmarks, in this order (also
#                                             s4-poll: scenario 4 over long-polling, and
#                                             idle-poll: 1,000 idle long-pollers)
#   AB_S6_RATE=3000                           scenario 6's offered msg/s (4000 finds the most it stores)
#   AB_SHORT=1                                tiny sizes, to check the script works (figures meaningless)
#   AB_DATABASE_URL=postgres://…/postgres     PostgreSQL to create the run databases in (default: the tool's)
#
# OUT_DIR (default load/results/ab-<UTC time>) gets each run's JSON and log,
# and table.md, the table printed at the end. Both checkouts need
# `pnpm install`; nothing else is built (the server runs under tsx).
set -euo pipefail

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
  exit 2
}
[[ $# -ge 2 && $# -le 3 ]] || usage
OLD=$(cd "$1" && pwd)
NEW=$(cd "$2" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${3:-$HERE/results/ab-$(date -u +%Y%m%d-%H%M%S)}
RUNS=${AB_RUNS:-3}
BENCHES=${AB_BENCHES:-send-http send-ws s1 s6 s5}
SHORT=${AB_SHORT:-0}
S6_RATE=${AB_S6_RATE:-3000}

for dir in "$OLD" "$NEW"; do
  [[ -f $dir/load/package.json && -d $dir/node_modules ]] || {
    echo "$dir: not an installed checkout (load/package.json, node_modules)" >&2
    exit 2
  }
  if [[ -n $(git -C "$dir" status --porcelain --untracked-files=no 2>/dev/null) ]]; then
    echo "warning: $dir has uncommitted changes; they are part of what is measured" >&2
  fi
done

# The commands of load/REPORT.md's "Every scenario on this session's code"
# (twelfth session) and of bench:send's A/Bs; AB_SHORT only shrinks them.
bench_args() { # bench → arguments after `pnpm load --` or `bench:send`
  local send_n=3000
  [[ $SHORT == 1 ]] && send_n=300
  case $1 in
  send-http) echo "--sends $send_n --concurrency 8 --over http" ;;
  send-ws) echo "--sends $send_n --concurrency 8 --over ws" ;;
  s1)
    if [[ $SHORT == 1 ]]; then
      echo "--users 300 --groups 1x300 --rate 20 --duration 4 --ramp-up 3 --settle 1 --workers 1 --send-over ws"
    else
      echo "--users 1000 --groups 10x300 --rate 50 --duration 30 --ramp-up 20 --settle 10 --workers 1 --send-over ws"
    fi
    ;;
  s6)
    if [[ $SHORT == 1 ]]; then
      echo "--users 200 --direct-share 1 --rate 500 --duration 3 --ramp-up 2 --settle 1 --grace 30 --workers 1 --send-over ws"
    else
      echo "--users 200 --direct-share 1 --rate $S6_RATE --duration 15 --ramp-up 3 --settle 2 --grace 30 --workers 1 --send-over ws"
    fi
    ;;
  s5)
    if [[ $SHORT == 1 ]]; then
      echo "--users 1000 --rate 0 --duration 2 --ramp-up 3 --settle 1 --workers 2"
    else
      echo "--users 10000 --rate 0 --duration 20 --ramp-up 30 --settle 10 --workers 2"
    fi
    ;;
  s4-poll)
    if [[ $SHORT == 1 ]]; then
      echo "--users 300 --groups 1x300 --rate 20 --duration 4 --ramp-up 3 --settle 1 --workers 1 --transport poll --grace 60"
    else
      echo "--users 1000 --groups 10x300 --rate 50 --duration 30 --ramp-up 20 --settle 10 --workers 1 --transport poll --grace 60"
    fi
    ;;
  idle-poll)
    if [[ $SHORT == 1 ]]; then
      echo "--users 300 --groups 1x300 --rate 0 --duration 4 --ramp-up 3 --settle 1 --workers 1 --transport poll --grace 60"
    else
      echo "--users 1000 --groups 10x300 --rate 0 --duration 60 --ramp-up 20 --settle 30 --workers 1 --transport poll --grace 60"
    fi
    ;;
  *)
    echo "unknown benchmark $1 (send-http send-ws s1 s6 s5 s4-poll idle-poll)" >&2
    exit 2
    ;;
  esac
}

# One run: bench, version (old|new), run number. Writes OUT/<bench>-<version>-<n>.{json,log}.
run_one() {
  local bench=$1 version=$2 n=$3 dir name args code=0
  [[ $version == old ]] && dir=$OLD || dir=$NEW
  name=$OUT/$bench-$version-$n
  args=$(bench_args "$bench")
  case $bench in
  send-*)
    # shellcheck disable=SC2086 # args are words
    (cd "$dir" && pnpm --silent --filter @chat/load bench:send $args ${AB_DATABASE_URL:+--admin-url "$AB_DATABASE_URL"}) >"$name.log" 2>&1 || code=$?
    # bench:send prints one line, no JSON: "…: S sends/s, W ms wall per send, server CPU A ms per send (main thread M ms)".
    node -e '
      const fs = require("node:fs");
      const [log, json] = process.argv.slice(1);
      const m = /: ([\d.]+) sends\/s, ([\d.]+) ms wall per send, server CPU ([\d.]+) ms per send \(main thread ([\d.]+) ms\)/.exec(fs.readFileSync(log, "utf8"));
      const figures = m && { sendsPerSecond: +m[1], wallMsPerSend: +m[2], serverCpuMsPerSend: +m[3], mainThreadMsPerSend: +m[4] };
      if (figures) fs.writeFileSync(json, `${JSON.stringify(figures, null, 2)}\n`);
    ' "$name.log" "$name.json"
    ;;
  *)
    # shellcheck disable=SC2086
    (cd "$dir" && pnpm --silent load -- --start-server --seed db --sessions db $args ${AB_DATABASE_URL:+--database-url "$AB_DATABASE_URL"} --json "$name.json") >"$name.log" 2>&1 || code=$?
    ;;
  esac
  echo "$code" >"$name.exit"
  return 0
}

VERSIONS=()
for ((i = 1; i <= RUNS; i++)); do VERSIONS+=("old $i" "new $i"); done
total=0
for bench in $BENCHES; do
  bench_args "$bench" >/dev/null
  total=$((total + ${#VERSIONS[@]}))
done
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
{
  echo "old: $OLD at $(git -C "$OLD" log -1 --format='%h %cs' 2>/dev/null)"
  echo "new: $NEW at $(git -C "$NEW" log -1 --format='%h %cs' 2>/dev/null)"
  echo "results: $OUT"
} >&2
done_n=0
started=$SECONDS
for bench in $BENCHES; do
  for pair in "${VERSIONS[@]}"; do
    read -r version n <<<"$pair"
    done_n=$((done_n + 1))
    t0=$SECONDS
    run_one "$bench" "$version" "$n"
    printf '[%2d/%d] %-9s %s run %s: %3d s, exit %s (%d s so far)\n' "$done_n" "$total" "$bench" "$version" "$n" \
      $((SECONDS - t0)) "$(cat "$OUT/$bench-$version-$n.exit")" $((SECONDS - started)) >&2
  done
done

AB_OUT=$OUT AB_BENCHES=$BENCHES AB_RUNS=$RUNS AB_SHORT=$SHORT \
  AB_OLD_REV=$(git -C "$OLD" log -1 --format=%h 2>/dev/null || echo old) \
  AB_NEW_REV=$(git -C "$NEW" log -1 --format=%h 2>/dev/null || echo new) \
  AB_ARGS=$(for b in $BENCHES; do echo "$b	$(bench_args "$b")"; done) \
  node --input-type=module - <<'EOF' | tee "$OUT/table.md"
import { existsSync, readFileSync } from 'node:fs';

const out = process.env.AB_OUT;
const benches = process.env.AB_BENCHES.split(/\s+/).filter(Boolean);
const runs = Number(process.env.AB_RUNS);
const args = Object.fromEntries(process.env.AB_ARGS.split('\n').map((l) => l.split('\t')));
const rev = { old: process.env.AB_OLD_REV, new: process.env.AB_NEW_REV };

/** The figures the report quotes, per benchmark: [label, (json, log) => number]. */
const kib = (rss) => (j, log) => {
  // Streams live when sending ended, as the tool's own per-stream figure divides by.
  const live = Number((/(\d[\d,]*) when sending ended/.exec(log)?.[1] ?? '').replaceAll(',', '')) || j.connections.ready;
  return (j.usage[rss] - j.usage.serverRssBefore) / live / 1024;
};
const sendFigures = [
  ['server CPU per send, ms', (j) => j.serverCpuMsPerSend],
  ['main thread per send, ms', (j) => j.mainThreadMsPerSend],
  ['sends/s', (j) => j.sendsPerSecond],
];
const figures = {
  'send-http': sendFigures,
  'send-ws': sendFigures,
  s1: [
    ['delivery p50, ms', (j) => j.deliveryLatencyMs.p50],
    ['delivery p95, ms', (j) => j.deliveryLatencyMs.p95],
    ['delivery p99, ms', (j) => j.deliveryLatencyMs.p99],
    ['send p50, ms', (j) => j.sendLatencyMs.p50],
    ['server, cores', (j) => j.usage.server],
    ['lost + duplicated', (j) => j.lost + j.duplicated],
  ],
  s6: [
    ['stored/s', (j) => j.storedPerSecond],
    ['send p50, ms', (j) => j.sendLatencyMs.p50],
    ['send p99, ms', (j) => j.sendLatencyMs.p99],
    ['delivery p99, ms', (j) => j.deliveryLatencyMs.p99],
    ['server, cores', (j) => j.usage.server],
    ['PostgreSQL, cores', (j) => j.usage.postgres],
    ['lost + duplicated', (j) => j.lost + j.duplicated],
  ],
  's4-poll': [
    ['delivery p50, ms', (j) => j.deliveryLatencyMs.p50],
    ['delivery p95, ms', (j) => j.deliveryLatencyMs.p95],
    ['delivery p99, ms', (j) => j.deliveryLatencyMs.p99],
    ['send p50, ms', (j) => j.sendLatencyMs.p50],
    ['server, cores', (j) => j.usage.server],
    ['load tool, cores', (j) => j.usage.tool],
    ['lost + duplicated', (j) => j.lost + j.duplicated],
  ],
  'idle-poll': [
    ['server, % of a core', (j) => j.usage.server * 100],
    ['PostgreSQL, % of a core', (j) => j.usage.postgres * 100],
  ],
  s5: [
    ['KiB per idle stream, peak RSS', kib('serverPeakRss')],
    ['KiB per idle stream, RSS at the end', kib('serverRss')],
    ['RSS before any stream, MB', (j) => j.usage.serverRssBefore / 2 ** 20],
  ],
};
const titles = {
  'send-http': 'bench:send over HTTP',
  'send-ws': 'bench:send over the WebSocket',
  s1: 'scenario 1, sends over the socket',
  s6: 'scenario 6, durable writes',
  s5: 'scenario 5, idle streams',
  's4-poll': 'scenario 4 over long-polling',
  'idle-poll': '1,000 idle long-pollers',
};
const command = (b) =>
  b.startsWith('send-')
    ? `pnpm --filter @chat/load bench:send ${args[b]}`
    : `pnpm load -- --start-server --seed db --sessions db ${args[b]}`;

function load(b, version, n) {
  const base = `${out}/${b}-${version}-${n}`;
  const exit = existsSync(`${base}.exit`) ? readFileSync(`${base}.exit`, 'utf8').trim() : '?';
  const log = existsSync(`${base}.log`) ? readFileSync(`${base}.log`, 'utf8') : '';
  let json;
  try {
    json = JSON.parse(readFileSync(`${base}.json`, 'utf8'));
  } catch {
    json = undefined;
  }
  // pnpm load: 0 clean, 1 something lost or duplicated (figures still written); bench:send: 0.
  const ok = json !== undefined && (exit === '0' || exit === '1');
  return { n, version, exit, ok, others: json?.usage?.others, values: ok ? figures[b].map(([, f]) => f(json, log)) : [] };
}
const median = (xs) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (x) =>
  !Number.isFinite(x) ? '–' : Number.isInteger(x) ? String(x) : Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2);
const change = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && a !== 0 ? `${b >= a ? '+' : ''}${(((b - a) / a) * 100).toFixed(0)}%` : '–');

const lines = [];
if (process.env.AB_SHORT === '1') lines.push('**AB_SHORT=1: tiny sizes to check the script; these figures mean nothing.**', '');
lines.push(`A/B, ${runs} run(s) of each, alternating old (${rev.old}) and new (${rev.new}); medians:`, '');
lines.push(`| benchmark | figure | old ${rev.old} | new ${rev.new} | change |`, '| --- | --- | --: | --: | --: |');
const all = {};
for (const b of benches) {
  const rs = [];
  for (let n = 1; n <= runs; n++) rs.push(load(b, 'old', n), load(b, 'new', n));
  all[b] = rs;
  figures[b].forEach(([label], i) => {
    const med = (v) => median(rs.filter((r) => r.ok && r.version === v).map((r) => r.values[i]));
    const [o, nw] = [med('old'), med('new')];
    lines.push(`| ${titles[b]} | ${label} | ${fmt(o)} | ${fmt(nw)} | ${change(o, nw)} |`);
  });
}
const failed = Object.values(all).flat().filter((r) => !r.ok).length;
if (failed) lines.push('', `${failed} run(s) failed and are left out of the medians: see the runs below and their .log files.`);
// The load tool's own warning sign: other processes above 0.2 cores skew a run's figures.
const others = (v) => median(Object.values(all).flat().filter((r) => r.ok && r.version === v).map((r) => r.others));
if (Number.isFinite(others('old')))
  lines.push(
    '',
    `Other processes on the machine during the load runs (median): old ${fmt(others('old'))}, new ${fmt(others('new'))} cores` +
      (Math.max(others('old'), others('new')) > 0.2 ? ': above 0.2, the figures are skewed; run again on a quiet machine.' : '.'),
  );
lines.push('', 'Runs, in the order they ran:');
for (const b of benches) {
  const labels = figures[b].map(([l]) => l);
  const load_ = !b.startsWith('send-');
  lines.push('', `**${titles[b]}**: \`${command(b)}\``, '');
  lines.push(`| run | ${labels.join(' | ')}${load_ ? ' | other processes, cores' : ''} | exit |`);
  lines.push(`| --- |${' --: |'.repeat(labels.length + (load_ ? 1 : 0))} --: |`);
  for (const r of all[b]) {
    const cells = r.ok ? r.values.map(fmt) : labels.map(() => 'failed');
    if (load_) cells.push(fmt(r.others));
    lines.push(`| ${r.version} ${r.n} | ${cells.join(' | ')} | ${r.exit} |`);
  }
}
lines.push('', `Per-run JSON and logs: ${out}`);
console.log(lines.join('\n'));
if (failed) process.exitCode = 1;
EOF
