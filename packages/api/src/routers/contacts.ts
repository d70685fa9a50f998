import { z } from 'zod';
import { listContacts, removeContact } from '../domain/contacts/contacts';
import { acceptRequest, closeRequest, listRequests, requestContact } from '../domain/contacts/requests';
import { authedProcedure, limit, router } from '../trpc';
import { id, usernameRef } from './inputs';

const other = z.object({ userId: id('user') });

export const contactsRouter = router({
  list: authedProcedure.query(({ ctx }) => listContacts(ctx.deps, ctx.actor.user.id)),
  requests: authedProcedure.query(({ ctx }) => listRequests(ctx.deps, ctx.actor.user.id)),
  request: authedProcedure
    .input(z.object({ username: usernameRef }))
    .use(limit('contact.request'))
    .mutation(({ ctx, input }) => requestContact(ctx.deps, ctx.actor.user.id, input.username)),
  accept: authedProcedure
    .input(other)
    .mutation(({ ctx, input }) => acceptRequest(ctx.deps, ctx.actor.user.id, input.userId)),
  decline: authedProcedure
    .input(other)
    .mutation(({ ctx, input }) => closeRequest(ctx.deps, ctx.actor.user.id, input.userId, 'declined')),
  cancel: authedProcedure
    .input(other)
    .mutation(({ ctx, input }) => closeRequest(ctx.deps, ctx.actor.user.id, input.userId, 'cancelled')),
  remove: authedProcedure
    .input(other)
    .mutation(({ ctx, input }) => removeContact(ctx.deps, ctx.actor.user.id, input.userId)),
});
