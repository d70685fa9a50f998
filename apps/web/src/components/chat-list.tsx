import { EmptyState } from './pane';

/** The chats in the left column. None exist yet: chats arrive in a later release. */
export function ChatList() {
  return (
    <section class="chat-list" aria-label="Chats">
      <EmptyState icon="chat" title="No chats yet" small>
        <p>Conversations you start or are added to will show up here.</p>
      </EmptyState>
    </section>
  );
}
