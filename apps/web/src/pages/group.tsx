import { useParams } from '@solidjs/router';
import { Show } from 'solid-js';
import { EmptyState, PaneHeader } from '../components/pane';
import { usePageTitle } from '../lib/title';

/** `/groups/<id>` and `/groups/<id>/messages/<messageId>`: a group chat (placeholder). */
export default function GroupPage() {
  const params = useParams<{ id: string; messageId?: string }>();
  usePageTitle(() => 'Group');
  return (
    <>
      <PaneHeader title="Group" subtitle={<span class="mono">{params.id}</span>} />
      <div class="pane-body centered">
        <EmptyState icon="users" title="Group chat">
          <p>Group messages will appear here. Groups come in a later release.</p>
          <Show when={params.messageId}>
            {(id) => <p class="muted">This link points at message {id()}, which will be shown in context.</p>}
          </Show>
        </EmptyState>
      </div>
    </>
  );
}
