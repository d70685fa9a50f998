/**
 * Reactions on loaded messages, pure. A `reaction.updated` event says one
 * person put (`on`) or took away one emoji; applying it is a set operation,
 * so applying it twice, or to a copy that already has it, changes nothing.
 */
import type { MessageView } from '@chat/api';

export type ReactionView = MessageView['reactions'][number];

export interface ReactionChange {
  messageId: string;
  emoji: string;
  userId: string;
  on: boolean;
}

/** The reactions with one person's emoji set or cleared; the same array when nothing changes. */
export function withReaction(list: readonly ReactionView[], change: ReactionChange): ReactionView[] {
  const entry = list.find((r) => r.emoji === change.emoji);
  const has = entry?.userIds.includes(change.userId) ?? false;
  if (has === change.on) return list as ReactionView[];
  if (change.on) {
    if (entry) return list.map((r) => (r === entry ? { ...r, userIds: [...r.userIds, change.userId] } : r));
    return [...list, { emoji: change.emoji, userIds: [change.userId] }];
  }
  return list
    .map((r) => (r === entry ? { ...r, userIds: r.userIds.filter((id) => id !== change.userId) } : r))
    .filter((r) => r.userIds.length > 0);
}

/** The messages with the change applied to the one it concerns (others keep their identity). */
export function applyReaction(messages: readonly MessageView[], change: ReactionChange): MessageView[] {
  let changed = false;
  const next = messages.map((m) => {
    if (m.id !== change.messageId) return m;
    const reactions = withReaction(m.reactions, change);
    if (reactions === m.reactions) return m;
    changed = true;
    return { ...m, reactions };
  });
  return changed ? next : (messages as MessageView[]);
}

/** "You, Ann and Bob reacted with 👍" (at most `shown` names, then "and 4 others"). */
export function whoReacted(
  reaction: ReactionView,
  myId: string,
  nameOf: (userId: string) => string,
  shown = 10,
): string {
  const mine = reaction.userIds.includes(myId);
  const names = [...(mine ? ['You'] : []), ...reaction.userIds.filter((id) => id !== myId).map(nameOf)];
  const listed = names.slice(0, shown);
  const rest = names.length - listed.length;
  if (rest > 0) listed.push(`${rest} other${rest === 1 ? '' : 's'}`);
  const joined = listed.length > 1 ? `${listed.slice(0, -1).join(', ')} and ${listed.at(-1)}` : (listed[0] ?? '');
  return `${joined} reacted with ${reaction.emoji}`;
}
