import type { TransportReason } from '@chat/api/client/streams';
import { Show } from 'solid-js';
import { type TransportState, transportModeInUse, transportState, transportStatus } from '../lib/trpc';
import { databaseAvailable } from '../stores/events';

const LABELS: Record<TransportState, string> = {
  websocket: 'Live (WebSocket)',
  sse: 'Live (SSE)',
  polling: 'Polling',
  connecting: 'Connecting…',
  offline: 'Offline',
};

/** Why the stream is not on WebSocket, in the user's words; nothing when it is the best or was asked for. */
const WHY: Record<TransportReason, string | null> = {
  best: null,
  forced: null,
  'websocket-failed': 'Your network blocks WebSocket.',
  'websocket-silent': 'Your network blocks WebSocket.',
  'sse-failed': 'Your network blocks live connections.',
  'sse-silent': 'Your network blocks live connections.',
};

/** The same, with what was seen, for the tooltip. */
const DETAIL: Record<TransportReason, string> = {
  best: 'Live updates over a WebSocket.',
  forced: 'Chosen with ?transport= in the address; open the app with ?transport=auto to let it choose.',
  'websocket-failed':
    'The WebSocket could not connect, so events come over server-sent events; it is tried again now and then.',
  'websocket-silent':
    'The WebSocket connected but nothing came through it, so events come over server-sent events; it is tried again now and then.',
  'sse-failed':
    'Neither a WebSocket nor a server-sent event stream got through (refused, or held back by a proxy), so new messages come by long-polling; live connections are tried again now and then.',
  'sse-silent':
    'The server-sent event stream connected but nothing came through it, so new messages come by long-polling; live connections are tried again now and then.',
};

const OTHER: Partial<Record<TransportState, string>> = {
  connecting: 'Connecting for live updates…',
  offline: 'No connection: messages you write are kept and sent when it is back.',
};

/**
 * Which transport carries the live stream, and why not a better one: a dot
 * and a word at the foot of the chat list. `data-transport` (ws, sse, poll:
 * absent while none carries it) and `data-reason` are for tests and support.
 */
export function TransportIndicator() {
  /** The transport carrying the stream now (none while connecting or offline). */
  const carrying = () =>
    transportState() === 'connecting' || transportState() === 'offline' ? undefined : transportStatus()?.transport;
  const why = () => {
    const status = transportStatus();
    return status?.live ? WHY[status.reason] : null;
  };
  const title = () => {
    const status = transportStatus();
    const state = transportState();
    return OTHER[state] ?? (status ? DETAIL[status.reason] : '');
  };
  return (
    <div class="transport-wrap">
      <div
        class="transport"
        data-testid="transport"
        data-state={transportState()}
        data-transport={carrying()}
        data-reason={carrying() ? transportStatus()?.reason : undefined}
        role="status"
        aria-describedby={why() ? 'transport-why' : undefined}
        title={title()}
      >
        <span class="dot" aria-hidden="true" />
        <span class="transport-label">{LABELS[transportState()]}</span>
      </div>
      <Show when={why()}>
        {(text) => (
          <p class="transport-why" id="transport-why" data-testid="transport-why">
            {text()}
          </p>
        )}
      </Show>
      <Show when={!databaseAvailable()}>
        <p class="transport-note" role="alert" data-testid="database-down">
          The server cannot reach its database. Messages you write are kept and sent when it is back.
        </p>
      </Show>
      <Show when={transportModeInUse() !== 'auto'}>
        <p class="transport-note">
          Forced with <code>?transport={transportModeInUse()}</code> (for troubleshooting). Open the app with{' '}
          <code>?transport=auto</code> to let it choose.
        </p>
      </Show>
    </div>
  );
}
