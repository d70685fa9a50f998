import { Match, Show, Switch } from 'solid-js';
import type { TimelineEntry } from '../../lib/timeline';
import { type Delivery, deliveryTo, type Receipts, readCount } from '../../stores/receipts';
import { Icon } from '../icons';

export interface StatusContext {
  kind: 'direct' | 'group';
  /** One-to-one: the other person. */
  peerId: string | null;
  receipts: Receipts;
  /** Groups: opens who has seen a message, by name ("Seen by"). */
  onSeenBy?: ((messageId: string) => void) | undefined;
}

const DELIVERY_TEXT: Record<Delivery, string> = { sent: 'Sent', delivered: 'Delivered', read: 'Read' };

/** Where one of the user's own messages has got to, in words ("Read", "Read by 2 of 5"). */
export function statusWords(entry: TimelineEntry, context: StatusContext): string {
  if (entry.unsent) return entry.unsent.state === 'failed' ? 'Not sent' : 'Sending';
  const seq = entry.seq ?? 0;
  if (context.kind === 'group') {
    const readers = readCount(context.receipts, entry.senderId, seq);
    return readers > 0 ? `Read by ${readers} of ${Math.max(0, context.receipts.size - 1)}` : 'Sent';
  }
  return DELIVERY_TEXT[context.peerId ? deliveryTo(context.receipts, context.peerId, seq) : 'sent'];
}

/**
 * Where one of the user's own messages has got to: sending (a clock), sent
 * (✓), delivered (✓✓), read (✓✓ in colour); in a group, "Read by N", a
 * button that opens who has read it, received it, or not yet ("Seen by").
 */
export function MessageStatus(props: { entry: TimelineEntry; context: StatusContext }) {
  const seq = () => props.entry.seq ?? 0;
  const delivery = () =>
    props.context.peerId ? deliveryTo(props.context.receipts, props.context.peerId, seq()) : 'sent';
  const readers = () => readCount(props.context.receipts, props.entry.senderId, seq());
  /** Everyone else in the group (the receipts list every current member). */
  const others = () => Math.max(0, props.context.receipts.size - 1);
  return (
    <Switch>
      <Match when={props.entry.unsent?.state === 'failed'}>{null}</Match>
      <Match when={props.entry.unsent}>
        <span class="status pending" role="img" aria-label="Sending" title="Sending…">
          <Icon name="clock" size={14} />
        </span>
      </Match>
      <Match when={props.context.kind === 'group' && props.context.onSeenBy}>
        {(open) => (
          <button
            type="button"
            class="status seen-by-button"
            classList={{ 'read-by': readers() > 0 }}
            aria-label={`Seen by: read by ${readers()} of ${others()}`}
            title="Seen by…"
            onClick={() => open()(props.entry.id)}
          >
            <Show when={readers() > 0} fallback={<Icon name="check" size={14} />}>
              Read by {readers()}
            </Show>
          </button>
        )}
      </Match>
      <Match when={props.context.kind === 'group' && readers() > 0}>
        <span class="status read-by" title={`Read by ${readers()} member${readers() === 1 ? '' : 's'}`}>
          Read by {readers()}
        </span>
      </Match>
      <Match when={props.context.kind === 'group'}>
        <span class="status" role="img" aria-label="Sent" title="Sent">
          <Icon name="check" size={14} />
        </span>
      </Match>
      <Match when={true}>
        <span
          class="status"
          classList={{ read: delivery() === 'read' }}
          role="img"
          aria-label={DELIVERY_TEXT[delivery()]}
          title={DELIVERY_TEXT[delivery()]}
        >
          <Icon name={delivery() === 'sent' ? 'check' : 'checks'} size={14} />
        </span>
      </Match>
    </Switch>
  );
}
