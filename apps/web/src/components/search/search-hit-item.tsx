import type { SearchHit } from '@chat/api';
import { A } from '@solidjs/router';
import { For, Show } from 'solid-js';
import { now } from '../../lib/clock';
import { attachmentsLabel } from '../../lib/file-label';
import { quoteText } from '../../lib/reply-quote';
import { hitChatTitle, hitSenderName, snippetParts } from '../../lib/search-hit';
import { hitPath } from '../../lib/search-url';
import { fullDateTime, listTime } from '../../lib/time';
import { currentUser } from '../../stores/session';
import { Icon } from '../icons';

/** The snippet as text with the matched words in `<mark>` (text nodes only, never HTML). */
export function Snippet(props: { segments: SearchHit['snippet'] }) {
  return <For each={snippetParts(props.segments)}>{(part) => (part.match ? <mark>{part.text}</mark> : part.text)}</For>;
}

/** One result: the chat, who wrote it and when, the snippet; a link to the message in its chat. */
export function SearchHitItem(props: { hit: SearchHit }) {
  const chat = () => hitChatTitle(props.hit);
  const sender = () => hitSenderName(props.hit, currentUser()?.id);
  const files = () => props.hit.attachments.filter((a) => a.kind === 'file').map((a) => a.fileName);
  return (
    <li>
      <A href={hitPath(props.hit)} class="search-hit" activeClass="active" end data-message-id={props.hit.messageId}>
        <span class="search-hit-line">
          <span class="search-hit-chat">
            <Icon name={props.hit.chat.kind === 'group' ? 'users' : 'chat'} size={14} />
            <span class="search-hit-chat-name">{chat()}</span>
          </span>
          <time
            class="chat-item-time"
            datetime={props.hit.createdAt.toISOString()}
            title={fullDateTime(props.hit.createdAt)}
          >
            {listTime(props.hit.createdAt, now())}
          </time>
        </span>
        <Show when={props.hit.chat.kind === 'group' || sender() === 'You'}>
          <span class="search-hit-sender">{sender()}</span>
        </Show>
        <Show when={props.hit.replyTo}>
          {(quote) => (
            <span class="search-hit-quote" data-testid="search-quote">
              <Icon name="reply" size={12} />
              <span>{quoteText(quote())}</span>
            </span>
          )}
        </Show>
        <span class="search-hit-snippet" data-testid="search-snippet">
          <Show
            when={props.hit.snippet.length > 0}
            fallback={<span class="muted">{attachmentsLabel(props.hit.attachments) || 'Image'}</span>}
          >
            <Snippet segments={props.hit.snippet} />
          </Show>
        </span>
        <Show when={files().length > 0}>
          <span class="search-hit-files" data-testid="search-files">
            <Icon name="paperclip" size={12} />
            <span>{files().join(', ')}</span>
          </span>
        </Show>
      </A>
    </li>
  );
}
