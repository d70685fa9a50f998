import { A } from '@solidjs/router';
import type { JSX } from 'solid-js';
import { EmptyState } from './pane';

/** What a chat or group page shows when the server will not open it: unknown, or not the user's. */
export function Unavailable(props: { title: string; children: JSX.Element }) {
  return (
    <div class="pane-body centered">
      <EmptyState icon="compass" title={props.title}>
        {props.children}
        <p>
          <A href="/">Back to your chats</A>
        </p>
      </EmptyState>
    </div>
  );
}

/** A load that failed for another reason (no connection): say so, offer to try again. */
export function LoadFailed(props: { message: string; onRetry(): void }) {
  return (
    <div class="pane-body centered">
      <div class="empty-state" role="alert">
        <p class="empty-title">Could not load this page</p>
        <p>{props.message}</p>
        <p>
          <button type="button" class="button" onClick={() => props.onRetry()}>
            Try again
          </button>
        </p>
      </div>
    </div>
  );
}

/** While the page's data loads. */
export function PaneLoading() {
  return (
    <div class="pane-body centered" aria-busy="true">
      <span class="spinner" aria-hidden="true" />
      <span class="visually-hidden">Loading…</span>
    </div>
  );
}
