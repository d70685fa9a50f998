/**
 * A message link opens in the message's own chat. The address names a chat
 * as whoever copied it saw it (Alice's `/chats/@bob/messages/<id>` is, for
 * Bob, his chat with Alice), so the message decides: the server says which
 * chat it is in, as this viewer sees it, and a link that names another
 * address for it moves there. A viewer outside the chat learns only that the
 * message is not available.
 */

import { useNavigate } from '@solidjs/router';
import { createEffect, createResource, type JSX, Match, Switch } from 'solid-js';
import { errorMessage, isNotFound } from '../lib/form-errors';
import { usePageTitle } from '../lib/title';
import { chatPath, locateMessage } from '../stores/chats';
import { PaneHeader } from './pane';
import { LoadFailed, PaneLoading, Unavailable } from './unavailable';

export interface MessageLinkProps {
  messageId: string;
  /** The chat address the link names (`/chats/@bob`, `/groups/<id>`), or null for `/messages/<id>`. */
  base: string | null;
  /** The chat, when the link names the message's own chat as this viewer sees it. */
  children: JSX.Element;
}

const samePath = (a: string, b: string) => decodeURIComponent(a).toLowerCase() === decodeURIComponent(b).toLowerCase();

export function MessageLink(props: MessageLinkProps) {
  const navigate = useNavigate();
  const [chat, { refetch }] = createResource(() => props.messageId, locateMessage);
  const canonical = () => {
    const c = chat.state === 'ready' ? chat() : undefined;
    return c ? chatPath(c) : null;
  };
  const here = () => {
    const path = canonical();
    return path !== null && props.base !== null && samePath(path, props.base);
  };
  createEffect(() => {
    const path = canonical();
    if (path && !here()) navigate(`${path}/messages/${encodeURIComponent(props.messageId)}`, { replace: true });
  });

  return (
    <Switch>
      <Match when={here()}>{props.children}</Match>
      <Match when={chat.error}>
        {(error) => (
          <Switch>
            <Match when={isNotFound(error())}>
              <Gone />
            </Match>
            <Match when={true}>
              <PaneHeader title="Message" />
              <LoadFailed message={errorMessage(error())} onRetry={() => void refetch()} />
            </Match>
          </Switch>
        )}
      </Match>
      <Match when={true}>
        <PaneHeader title="Message" />
        <PaneLoading />
      </Match>
    </Switch>
  );
}

/** Not there, or not the viewer's to see: the same words for both, nothing of the chat. */
function Gone() {
  usePageTitle(() => 'Message not available');
  return (
    <>
      <PaneHeader title="Message" subtitle="Not available" />
      <Unavailable title="This message is not available">
        <p>It does not exist, or it is in a chat you are not in.</p>
      </Unavailable>
    </>
  );
}
