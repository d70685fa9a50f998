import { useParams } from '@solidjs/router';
import { Show } from 'solid-js';
import { EmptyState, PaneHeader } from '../components/pane';
import { usePageTitle } from '../lib/title';
import NotFoundPage from './not-found';

/** `/chats/@alice` and `/chats/@alice/messages/<id>`: a one-to-one chat (placeholder). */
export default function ChatPage() {
  const params = useParams<{ handle: string; messageId?: string }>();
  return (
    <Show when={params.handle.startsWith('@')} fallback={<NotFoundPage />}>
      <Chat handle={params.handle} messageId={params.messageId} />
    </Show>
  );
}

function Chat(props: { handle: string; messageId: string | undefined }) {
  usePageTitle(() => props.handle);
  return (
    <>
      <PaneHeader title={props.handle} subtitle="Direct message" />
      <div class="pane-body centered">
        <EmptyState icon="chat" title={`Your conversation with ${props.handle}`}>
          <p>Messages will appear here. One-to-one chats come in a later release.</p>
          <Show when={props.messageId}>
            {(id) => <p class="muted">This link points at message {id()}, which will be shown in context.</p>}
          </Show>
        </EmptyState>
      </div>
    </>
  );
}
