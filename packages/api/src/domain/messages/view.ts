import type { Message } from '@chat/db';
import { messages } from '@chat/db';

/** A message as members see it. A deleted one keeps its place with `body: null`. */
export interface MessageView {
  id: string;
  chatId: string;
  senderId: string;
  /** Position in the chat: 1, 2, 3… with no gaps, in send order. */
  seq: number;
  body: string | null;
  createdAt: Date;
  editedAt: Date | null;
  deletedAt: Date | null;
}

export const messageColumns = {
  id: messages.id,
  chatId: messages.chatId,
  senderId: messages.senderId,
  seq: messages.seq,
  body: messages.body,
  createdAt: messages.createdAt,
  editedAt: messages.editedAt,
  deletedAt: messages.deletedAt,
} as const;

export function toMessageView(m: Pick<Message, keyof typeof messageColumns>): MessageView {
  return {
    id: m.id,
    chatId: m.chatId,
    senderId: m.senderId,
    seq: m.seq,
    body: m.body,
    createdAt: m.createdAt,
    editedAt: m.editedAt,
    deletedAt: m.deletedAt,
  };
}
