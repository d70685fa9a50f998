import { useParams } from '@solidjs/router';
import { Show } from 'solid-js';
import { MessageLink } from '../components/message-link';

/** `/messages/<id>`: the link a message's time copies, the same for every member; opens in its chat. */
export default function MessagePage() {
  const params = useParams<{ messageId: string }>();
  return (
    <Show when={params.messageId} keyed>
      {(messageId) => (
        <MessageLink messageId={messageId} base={null}>
          {null}
        </MessageLink>
      )}
    </Show>
  );
}
