import { Show } from 'solid-js';
import { type TransportState, transportModeInUse, transportState } from '../lib/trpc';
import { databaseAvailable } from '../stores/events';

const LABELS: Record<TransportState, string> = {
  websocket: 'WebSocket',
  sse: 'SSE',
  polling: 'Polling',
  connecting: 'Connecting…',
  offline: 'Offline',
};

const DESCRIPTIONS: Record<TransportState, string> = {
  websocket: 'Live updates over a WebSocket.',
  sse: 'Live updates over server-sent events (the WebSocket could not connect, or SSE was chosen).',
  polling: 'Updates by asking the server every few seconds (streaming was turned off with ?transport=poll).',
  connecting: 'Connecting for live updates…',
  offline: 'No connection: messages you write are kept and sent when it is back.',
};

/** Which transport carries the live stream: a dot and a word, at the foot of the chat list. */
export function TransportIndicator() {
  return (
    <div class="transport-wrap">
      <div
        class="transport"
        data-testid="transport"
        data-state={transportState()}
        role="status"
        title={DESCRIPTIONS[transportState()]}
      >
        <span class="dot" aria-hidden="true" />
        <span class="transport-label">{LABELS[transportState()]}</span>
      </div>
      <Show when={!databaseAvailable()}>
        <p class="transport-note" role="alert" data-testid="database-down">
          The server cannot reach its database. Messages you write are kept and sent when it is back.
        </p>
      </Show>
      <Show when={transportModeInUse() === 'poll'}>
        <p class="transport-note">
          Polling was chosen (<code>?transport=poll</code>): new messages arrive within a few seconds, and typing and
          online status are not shown live. Open the app with <code>?transport=auto</code> for live updates.
        </p>
      </Show>
    </div>
  );
}
