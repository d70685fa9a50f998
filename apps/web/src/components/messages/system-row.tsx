import type { SystemLine } from '@chat/api';
import { A } from '@solidjs/router';
import { Show } from 'solid-js';
import { now } from '../../lib/clock';
import { systemLineText } from '../../lib/system-line';
import { clockTime, dayLabel, fullDateTime } from '../../lib/time';
import type { TimelineEntry } from '../../lib/timeline';
import type { RowLayout } from '../../lib/timeline-layout';

export interface SystemRowProps {
  entry: TimelineEntry;
  line: SystemLine;
  layout: RowLayout | undefined;
  highlighted: boolean;
  permalink: string;
  myId: string;
}

/**
 * A line about the group ("Ana added Ben"): centred and muted, not a bubble,
 * with no actions (nobody edits, deletes or reacts to it). Its time is its
 * link, as a message's is.
 */
export function SystemRow(props: SystemRowProps) {
  return (
    <li
      class="message-row system-row"
      data-message-id={props.entry.id}
      data-system={props.line.type}
      aria-current={props.highlighted ? 'true' : undefined}
    >
      <Show when={props.layout?.day}>
        {(day) => (
          <h2 class="day-line">
            <span>{dayLabel(day(), now())}</span>
          </h2>
        )}
      </Show>
      <Show when={props.layout?.newMessages}>
        <div class="new-line" data-testid="new-messages">
          <span>New messages</span>
        </div>
      </Show>
      <p class="system-line" classList={{ highlighted: props.highlighted }} data-testid="system-line">
        <span class="system-text">{systemLineText(props.line, props.myId)}</span>
        <A
          href={props.permalink}
          class="message-time"
          title={fullDateTime(props.entry.createdAt)}
          aria-label={`Link to this line, ${fullDateTime(props.entry.createdAt)}`}
        >
          <time datetime={props.entry.createdAt.toISOString()}>{clockTime(props.entry.createdAt)}</time>
        </A>
      </p>
    </li>
  );
}
