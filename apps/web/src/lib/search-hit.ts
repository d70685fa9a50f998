/** How a search hit reads in the results: its chat's name, who sent it, the snippet's parts. */
import type { SearchHit, SnippetSegment } from '@chat/api';

/** The group's name, or the other person's display name for a one-to-one chat. */
export function hitChatTitle(hit: Pick<SearchHit, 'chat'>): string {
  if (hit.chat.kind === 'group') return hit.chat.name ?? 'Unnamed group';
  return hit.chat.peer?.displayName ?? 'Unknown user';
}

/** "You" for the searcher's own messages, else the sender's display name. */
export function hitSenderName(hit: Pick<SearchHit, 'sender'>, myId: string | undefined): string {
  return hit.sender.id === myId ? 'You' : hit.sender.displayName;
}

/**
 * The snippet as the parts to render, each plain text or a match (shown in
 * `<mark>`): empty parts dropped, neighbours of the same kind joined. Text
 * only: it is rendered as text nodes, never as HTML.
 */
export function snippetParts(segments: readonly SnippetSegment[]): SnippetSegment[] {
  const parts: SnippetSegment[] = [];
  for (const { text, match } of segments) {
    if (!text) continue;
    const previous = parts.at(-1);
    if (previous && previous.match === match) previous.text += text;
    else parts.push({ text, match });
  }
  return parts;
}

/** The snippet as one line of plain text (for a tooltip or a screen reader's summary). */
export function snippetText(segments: readonly SnippetSegment[]): string {
  return segments.map((s) => s.text).join('');
}

/**
 * The next page of results, reusing the hits already shown that did not
 * change (the same search again, or the same hits in another order), so
 * their rows stay on screen as they are, focus included.
 */
export function reuseHits(shown: readonly SearchHit[], next: SearchHit[]): SearchHit[] {
  const byId = new Map(shown.map((hit) => [hit.messageId, hit]));
  return next.map((hit) => {
    const old = byId.get(hit.messageId);
    return old && JSON.stringify(old) === JSON.stringify(hit) ? old : hit;
  });
}
