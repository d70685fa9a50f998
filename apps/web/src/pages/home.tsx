import { A } from '@solidjs/router';
import { EmptyState } from '../components/pane';
import { usePageTitle } from '../lib/title';
import { currentUser } from '../stores/session';

export default function HomePage() {
  usePageTitle(() => 'Chats');
  return (
    <div class="pane-body centered">
      <EmptyState icon="inbox" title={`Welcome, ${currentUser()?.displayName ?? ''}`}>
        <p>
          Pick a chat on the left, or find people in your <A href="/contacts">contacts</A>.
        </p>
        <p class="muted">Start a group with the + next to “Chats”.</p>
      </EmptyState>
    </div>
  );
}
