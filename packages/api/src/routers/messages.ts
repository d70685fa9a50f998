import { z } from 'zod';
import { AUTHORS_MAX, listAuthors } from '../domain/messages/authors';
import { deleteMessage, editMessage } from '../domain/messages/edit';
import { listAround, listHistory } from '../domain/messages/history';
import { locateMessage } from '../domain/messages/locate';
import { setReaction } from '../domain/messages/reactions';
import { listReceipts, markReceipts } from '../domain/messages/receipts';
import { emoji, MAX_ATTACHMENTS, messageText } from '../domain/messages/rules';
import { getSeenBy } from '../domain/messages/seen-by';
import { sendMessage } from '../domain/messages/send';
import { authedProcedure, limit, router, senderOf } from '../trpc';
import { id } from './inputs';

const PAGE_MAX = 100;
const seq = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const messagesRouter = router({
  /** Stores the message (idempotent by `id`, which the client generates) and returns it once committed. */
  send: authedProcedure
    // Its statement checks the session and counts the `message.send` limit (docs/send-path.md).
    .meta({ checksSession: true })
    .input(
      z.object({
        id: id('message'),
        chatId: id('chat'),
        body: messageText,
        attachmentIds: z
          .array(id('image'))
          .max(MAX_ATTACHMENTS, `A message can have at most ${MAX_ATTACHMENTS} images and files.`)
          .default([]),
        /** Reply to this message (one of the same chat); omitted or null for a message that is not a reply. */
        replyToId: id('message').nullish(),
      }),
    )
    .mutation(({ ctx, input }) => sendMessage(ctx.deps, senderOf(ctx.actor), input)),
  edit: authedProcedure
    .input(z.object({ messageId: id('message'), body: messageText }))
    .use(limit('message.change'))
    .mutation(({ ctx, input }) => editMessage(ctx.deps, ctx.actor.user.id, input.messageId, input.body)),
  delete: authedProcedure
    .input(z.object({ messageId: id('message') }))
    .use(limit('message.change'))
    .mutation(({ ctx, input }) => deleteMessage(ctx.deps, ctx.actor.user.id, input.messageId)),
  /** A page of a chat's messages: `older` newest first before the cursor, `newer` oldest first after it. */
  history: authedProcedure
    .input(
      z
        .object({
          chatId: id('chat'),
          direction: z.enum(['older', 'newer']).default('older'),
          cursor: seq.optional(),
          from: z.date().optional(),
          to: z.date().optional(),
          limit: z.number().int().min(1).max(PAGE_MAX).default(50),
        })
        .refine((v) => !v.from || !v.to || v.from <= v.to, {
          message: 'The start date must be before the end date.',
          path: ['from'],
        }),
    )
    .query(({ ctx, input }) => listHistory(ctx.deps, ctx.actor.user.id, input)),
  /** A message with the messages around it, for permalinks. */
  around: authedProcedure
    .input(z.object({ messageId: id('message'), limit: z.number().int().min(1).max(PAGE_MAX).default(25) }))
    .query(({ ctx, input }) => listAround(ctx.deps, ctx.actor.user.id, input.messageId, input.limit)),
  /** The chat a message is in, as the caller sees it (message links open there, whoever copied them). */
  locate: authedProcedure
    .input(z.object({ messageId: id('message') }))
    .query(({ ctx, input }) => locateMessage(ctx.deps, ctx.actor.user.id, input.messageId)),
  /** Names of people in a chat's history (members or not any more): those who wrote or reacted there. */
  authors: authedProcedure
    .input(
      z.object({
        chatId: id('chat'),
        userIds: z
          .array(id('user'))
          .min(1, 'Name someone to look up.')
          .max(AUTHORS_MAX, `Ask about at most ${AUTHORS_MAX} people at a time.`),
      }),
    )
    .query(({ ctx, input }) => listAuthors(ctx.deps, ctx.actor.user.id, input.chatId, input.userIds)),
  /** Adds (`on: true`) or takes away one emoji reaction; returns the message's reactions. */
  react: authedProcedure
    .input(z.object({ messageId: id('message'), emoji, on: z.boolean() }))
    .use(limit('message.change'))
    .mutation(({ ctx, input }) => setReaction(ctx.deps, ctx.actor.user.id, input)),
  /** Every member's delivered / read positions in a chat. */
  receipts: authedProcedure
    .input(z.object({ chatId: id('chat') }))
    .query(({ ctx, input }) => listReceipts(ctx.deps, ctx.actor.user.id, input.chatId)),
  /** Who of the chat's members has read one message, who has only received it, and who has not yet. */
  seenBy: authedProcedure
    .input(z.object({ messageId: id('message') }))
    .query(({ ctx, input }) => getSeenBy(ctx.deps, ctx.actor.user.id, input.messageId)),
  /** "My clients have received / I have seen this chat up to seq N." */
  markRead: authedProcedure
    .input(
      z
        .object({ chatId: id('chat'), deliveredSeq: seq.optional(), readSeq: seq.optional() })
        .refine((v) => v.deliveredSeq !== undefined || v.readSeq !== undefined, {
          message: 'Say what was delivered or read.',
          path: ['readSeq'],
        }),
    )
    .mutation(({ ctx, input }) => markReceipts(ctx.deps, ctx.actor.user.id, input)),
});
