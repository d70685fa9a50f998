/**
 * Follows one user's event stream by long-polling `events.poll`, reading the
 * answers by hand: one `node:http` GET per poll on a keep-alive socket of its
 * own, one `JSON.parse` per answer, each item taken from superjson's `json`
 * part, as the raw WebSocket and SSE readers do (raw-stream.ts, raw-sse.ts).
 * A busy user's answers come many times a second, so the typed client's path
 * (tRPC's link chain and superjson's rebuilding per answer) would be paid that
 * often, on the cores of the server being measured.
 *
 * It polls as the typed client does (docs/event-stream.md, "Long-polling"):
 * the first poll of each connection answered at once, every next one held by
 * the server for up to `pollWaitMs` and asked again as soon as it is
 * answered, from the answer's cursor. With `pollWaitMs` 0 it short-polls
 * every `pollIntervalMs` instead. It keeps every item it is given (the tool
 * counts duplicates); when a poll fails it comes back from the last cursor
 * after a wait that grows with each failure.
 */
import { Agent, type ClientRequest, request } from 'node:http';
import { request as requestTls, Agent as TlsAgent } from 'node:https';
import type { StreamItem } from '../k6/lib/frames';
import { Resumer } from './resume';
import type { Follower, FollowOptions } from './stream';

/** The most items one answer carries (the server's limit): a full page means more are waiting. */
export const POLL_PAGE = 500;
/** Beyond the time the server may hold a poll, how long an unanswered one is given before it counts as lost. */
const ANSWER_SLACK_MS = 20_000;

/** What `GET /trpc/events.poll` answers (tRPC's HTTP framing, superjson's `json` part). */
interface Answer {
  result?: { data?: { json?: { items: { id: string; data: StreamItem }[]; cursor: string } } };
  error?: { json?: { message?: string; data?: { code?: string } } };
}

export function followRawPoll(
  url: string,
  cookie: string | null,
  onItem: (item: StreamItem) => void,
  options: Pick<FollowOptions, 'lastEventId' | 'onError' | 'onLive' | 'pollWaitMs' | 'pollIntervalMs'>,
): Follower {
  let lastEventId = options.lastEventId;
  let current: ClientRequest | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Parsed once: a busy connection polls many times a second.
  const target = new URL(`${url.replace(/\/$/, '')}/trpc/events.poll`);
  const tls = target.protocol === 'https:';
  // node:http wants an IPv6 host without the URL's brackets.
  const hostname = target.hostname.replace(/^\[(.*)\]$/, '$1');
  const where = { hostname, port: target.port, path: `${target.pathname}?input=` };
  // One socket, kept alive: the next poll waits for it rather than opening another.
  const agent = tls ? new TlsAgent({ keepAlive: true, maxSockets: 1 }) : new Agent({ keepAlive: true, maxSockets: 1 });
  const headers = { accept: 'application/json', ...(cookie ? { cookie } : {}) };

  const drop = () => {
    clearTimeout(timer);
    timer = undefined;
    current?.removeAllListeners();
    current?.on('error', () => {});
    current?.destroy();
    current = undefined;
  };
  const resumer = new Resumer(options.onError, drop, () => poll(true));
  const again = (kind: string, example: string) => resumer.again(kind, example);

  const answered = (status: number | undefined, body: string) => {
    let answer: Answer;
    try {
      answer = JSON.parse(body) as Answer;
    } catch {
      again('poll:http', `status ${status}: ${body.slice(0, 200)}`);
      return;
    }
    const page = answer.result?.data?.json;
    if (status !== 200 || !page) {
      const error = answer.error?.json;
      again(`poll:${error?.data?.code ?? 'http'}`, error?.message ?? `status ${status}`);
      return;
    }
    resumer.succeeded();
    for (const { id, data } of page.items) {
      lastEventId = id;
      onItem(data);
    }
    lastEventId = page.cursor;
    const full = page.items.length >= POLL_PAGE;
    // Caught up: nothing more was waiting (a resumed poll brings no `stream.ready`).
    if (!full) options.onLive?.();
    if (full || options.pollWaitMs > 0) poll(false);
    else timer = setTimeout(() => poll(false), options.pollIntervalMs);
  };

  /** One poll from `lastEventId`; `first` (a new connection) is answered at once, so it is live soon. */
  const poll = (first: boolean) => {
    if (resumer.isStopped) return;
    timer = undefined;
    const waitMs = first ? 0 : options.pollWaitMs;
    const input = waitMs > 0 ? { lastEventId, limit: POLL_PAGE, waitMs } : { lastEventId, limit: POLL_PAGE };
    const path = where.path + encodeURIComponent(JSON.stringify({ json: input }));
    const req = (tls ? requestTls : request)({ ...where, path, agent, headers, timeout: waitMs + ANSWER_SLACK_MS });
    current = req;
    // A request already replaced (answered, or dropped) may still report on its way out: not this poll's failure.
    const fail = (kind: string, example: string) => {
      if (current === req) again(kind, example);
    };
    req.on('timeout', () => fail('poll:timeout', `no answer ${waitMs + ANSWER_SLACK_MS} ms after the request`));
    req.on('error', (error) => fail('poll:network', String(error)));
    req.on('response', (res) => {
      res.setEncoding('utf8');
      let body = '';
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => {
        if (current !== req) return;
        current = undefined;
        answered(res.statusCode, body);
      });
      res.on('error', (error) => fail('poll:network', String(error)));
    });
    req.end();
  };

  poll(true);
  return {
    get lastEventId() {
      return lastEventId;
    },
    stop: () => {
      resumer.stop();
      agent.destroy();
    },
  };
}
