/**
 * A message's text with its marks (lib/markdown.ts reads them). Only text
 * nodes and a fixed set of elements are created; the one attribute that
 * comes from the message is a link's href, and only an http, https or mailto
 * one that `safeHref` let through.
 */
import { createMemo, For, type JSX, Match, Switch } from 'solid-js';
import { type BlockNode, type MarkNode, parseMessage } from '../../lib/markdown';
import { mentionPieces } from '../../lib/mentions';
import { currentUser } from '../../stores/session';

/** A text node, its mentions highlighted (the viewer's own more). */
function TextWithMentions(props: { text: string }): JSX.Element {
  const pieces = createMemo(() => mentionPieces(props.text, currentUser()?.username));
  return (
    <For each={pieces()}>
      {(piece) =>
        piece.mention ? (
          <span class="mention" classList={{ 'mention-me': piece.me }}>
            {piece.text}
          </span>
        ) : (
          piece.text
        )
      }
    </For>
  );
}

function Inline(props: { nodes: MarkNode[] }): JSX.Element {
  return (
    <For each={props.nodes}>
      {(node) => (
        <Switch>
          <Match when={node.kind === 'text' && node}>{(n) => <TextWithMentions text={n().text} />}</Match>
          {/* A line break stays the newline typed: .message-text keeps white space (pre-wrap). */}
          <Match when={node.kind === 'break'}>{'\n'}</Match>
          <Match when={node.kind === 'code' && node}>{(n) => <code>{n().text}</code>}</Match>
          <Match when={node.kind === 'strong' && node}>
            {(n) => (
              <strong>
                <Inline nodes={n().children} />
              </strong>
            )}
          </Match>
          <Match when={node.kind === 'em' && node}>
            {(n) => (
              <em>
                <Inline nodes={n().children} />
              </em>
            )}
          </Match>
          <Match when={node.kind === 'strike' && node}>
            {(n) => (
              <s>
                <Inline nodes={n().children} />
              </s>
            )}
          </Match>
          <Match when={node.kind === 'link' && node}>
            {(n) => (
              <a href={n().href} target="_blank" rel="noopener noreferrer">
                <Inline nodes={n().children} />
              </a>
            )}
          </Match>
        </Switch>
      )}
    </For>
  );
}

function Block(props: { block: BlockNode }): JSX.Element {
  return (
    <Switch>
      <Match when={props.block.kind === 'paragraph' && props.block}>
        {(b) => (
          <p>
            <Inline nodes={b().children} />
          </p>
        )}
      </Match>
      <Match when={props.block.kind === 'codeBlock' && props.block}>
        {(b) => (
          <pre>
            <code>{b().text}</code>
          </pre>
        )}
      </Match>
    </Switch>
  );
}

/** The formatted text of a message (`class` goes on the wrapper). */
export function RichText(props: { text: string; class?: string; id?: string }): JSX.Element {
  const blocks = createMemo(() => parseMessage(props.text));
  return (
    <div class={props.class} id={props.id}>
      <For each={blocks()}>{(block) => <Block block={block} />}</For>
    </div>
  );
}
