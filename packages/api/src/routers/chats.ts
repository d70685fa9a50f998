import { GROUP_MEMBER_LIMIT } from '@chat/db';
import { z } from 'zod';
import { openDirectChat } from '../domain/chats/direct';
import {
  addMembers,
  createGroup,
  deleteGroup,
  getChat,
  leaveGroup,
  passOwnership,
  removeMember,
  renameGroup,
} from '../domain/chats/groups';
import { setChatMuted } from '../domain/chats/mute';
import { listChats } from '../domain/chats/summary';
import { authedProcedure, limit, router } from '../trpc';
import { groupName, id, usernameRef } from './inputs';

const chatRef = z.object({ chatId: id('chat') });
const userIds = z.array(id('user')).max(GROUP_MEMBER_LIMIT, `A group can have at most ${GROUP_MEMBER_LIMIT} members.`);

export const chatsRouter = router({
  /** The caller's chats and groups, most recent activity first. */
  list: authedProcedure.query(({ ctx }) => listChats(ctx.deps.db, ctx.actor.user.id)),
  get: authedProcedure.input(chatRef).query(({ ctx, input }) => getChat(ctx.deps, ctx.actor.user.id, input.chatId)),
  /** The one-to-one chat with a user (`/chats/@alice`), created on first open between contacts. */
  direct: authedProcedure
    .input(z.object({ username: usernameRef }))
    .mutation(({ ctx, input }) => openDirectChat(ctx.deps, ctx.actor.user.id, input.username)),
  /** Mutes or unmutes a chat for the caller: no sound or notification from it, except a mention of them. */
  setMuted: authedProcedure
    .input(chatRef.extend({ muted: z.boolean('Say whether the chat is muted (true or false).') }))
    .mutation(({ ctx, input }) => setChatMuted(ctx.deps, ctx.actor.user.id, input.chatId, input.muted)),
});

export const groupsRouter = router({
  create: authedProcedure
    .input(z.object({ name: groupName, userIds }))
    .use(limit('group.create'))
    .mutation(({ ctx, input }) => createGroup(ctx.deps, ctx.actor.user.id, input.name, input.userIds)),
  rename: authedProcedure
    .input(chatRef.extend({ name: groupName }))
    .use(limit('group.change'))
    .mutation(({ ctx, input }) => renameGroup(ctx.deps, ctx.actor.user.id, input.chatId, input.name)),
  addMembers: authedProcedure
    .input(chatRef.extend({ userIds: userIds.min(1, 'Choose someone to add.') }))
    .use(limit('group.change'))
    .mutation(({ ctx, input }) => addMembers(ctx.deps, ctx.actor.user.id, input.chatId, input.userIds)),
  removeMember: authedProcedure
    .input(chatRef.extend({ userId: id('user') }))
    .use(limit('group.change'))
    .mutation(({ ctx, input }) => removeMember(ctx.deps, ctx.actor.user.id, input.chatId, input.userId)),
  leave: authedProcedure
    .input(chatRef)
    .use(limit('group.change'))
    .mutation(({ ctx, input }) => leaveGroup(ctx.deps, ctx.actor.user.id, input.chatId)),
  /** The owner makes another member the owner. */
  passOwnership: authedProcedure
    .input(chatRef.extend({ userId: id('user') }))
    .use(limit('group.change'))
    .mutation(({ ctx, input }) => passOwnership(ctx.deps, ctx.actor.user.id, input.chatId, input.userId)),
  delete: authedProcedure
    .input(chatRef)
    .use(limit('group.change'))
    .mutation(({ ctx, input }) => deleteGroup(ctx.deps, ctx.actor.user.id, input.chatId)),
});
