/**
 * A polite live region that tells a screen reader what arrived in the open
 * chat from others: one announcement per burst (lib/arrivals.ts), gathered
 * for a moment, so a busy group is a summary rather than every message.
 */
import { createSignal, onCleanup } from 'solid-js';
import { type Arrival, announcement } from '../../lib/arrivals';
import { onEvents } from '../../stores/events';

/** How long a burst is gathered before it is read out. */
const GATHER_MS = 1_500;

export function ArrivalsAnnouncer(props: { chatId: string; myId: () => string; nameOf(userId: string): string }) {
  const [said, setSaid] = createSignal('');
  let pending: Arrival[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));
  onCleanup(
    onEvents({
      'message.created': ({ payload: { message } }) => {
        if (message.chatId !== props.chatId || message.senderId === props.myId() || message.system) return;
        pending.push({ sender: props.nameOf(message.senderId), text: message.body, files: message.attachments.length });
        if (timer !== undefined) return;
        timer = setTimeout(() => {
          timer = undefined;
          const words = announcement(pending);
          pending = [];
          // Emptied first, so that the same words twice in a row are read twice.
          setSaid('');
          queueMicrotask(() => setSaid(words));
        }, GATHER_MS);
      },
    }),
  );
  return (
    <div class="visually-hidden" role="status" aria-live="polite" data-testid="arrivals">
      {said()}
    </div>
  );
}
