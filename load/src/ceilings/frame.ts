/**
 * A `message.created` frame exactly as the server's tRPC WebSocket adapter
 * writes it (superjson-serialized tracked event), split around the send-time
 * marker so the ceiling server can stamp each message without re-serializing.
 */
import { randomUUID } from 'node:crypto';
import superjson from 'superjson';
import { encodeBody } from '../body';

export interface FrameTemplate {
  before: string;
  after: string;
}

const STAMP = 1_700_000_000_000.123;

export function messageFrame(bodySize: number): FrameTemplate {
  const chatId = randomUUID();
  const position = `12345678_${9_876_543}`;
  const at = new Date();
  const event = {
    id: 9_876_543,
    type: 'message.created',
    chatId,
    payload: {
      message: {
        id: randomUUID(),
        chatId,
        senderId: randomUUID(),
        seq: 12_345,
        body: encodeBody(STAMP, bodySize),
        createdAt: at,
        editedAt: null,
        deletedAt: null,
      },
    },
    at,
  };
  const text = JSON.stringify({
    id: 1,
    result: { type: 'data', id: position, data: superjson.serialize({ id: position, data: event }) },
  });
  const stamp = STAMP.toFixed(3);
  const cut = text.indexOf(stamp);
  return { before: text.slice(0, cut), after: text.slice(cut + stamp.length) };
}
