/**
 * A message as one sentence for a screen reader: who wrote it and when, then
 * the text, then what the eye takes in around the bubble (attachments,
 * reactions, receipts) in words. The row reads the lead in place and names
 * itself with lead, text and tail (docs/web-timeline.md).
 */

export interface MessageFacts {
  /** "You" for the user's own messages. */
  author: string;
  /** The time of day as shown ("14:05"). */
  time: string;
  /** Whom it answers, when it is a reply. */
  replyTo: string | null;
  deleted: boolean;
  edited: boolean;
  images: number;
  files: readonly string[];
  /** Each reaction in words, as the chips say it ("You and Ana reacted with 👍"). */
  reactions: readonly string[];
  /** Where one's own message has got to ("Delivered", "Read by 2 of 5"); null for others'. */
  status: string | null;
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Before the text: "Ana at 14:05, replying to Bob:". */
export function messageLead(m: MessageFacts): string {
  return `${m.author} at ${m.time}${m.replyTo ? `, replying to ${m.replyTo}` : ''}:`;
}

/** After the text: "Edited. 2 images. File: report.pdf. You and Ana reacted with 👍. Read." (empty when there is nothing). */
export function messageTail(m: MessageFacts): string {
  const parts: string[] = [];
  if (m.edited && !m.deleted) parts.push('Edited');
  if (!m.deleted) {
    if (m.images > 0) parts.push(count(m.images, 'image', 'images'));
    if (m.files.length === 1) parts.push(`File: ${m.files[0]}`);
    else if (m.files.length > 1) parts.push(`${m.files.length} files: ${m.files.join(', ')}`);
    parts.push(...m.reactions);
  }
  if (m.status) parts.push(m.status);
  return parts.map((p) => `${p}.`).join(' ');
}
