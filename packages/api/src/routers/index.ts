import { router } from '../trpc';
import { accountRouter } from './account';
import { authRouter } from './auth';
import { blocksRouter } from './blocks';
import { chatsRouter, groupsRouter } from './chats';
import { contactsRouter } from './contacts';
import { eventsRouter } from './events';
import { messagesRouter } from './messages';
import { presenceRouter } from './presence';
import { profilesRouter } from './profiles';
import { searchRouter } from './search';

export const appRouter = router({
  auth: authRouter,
  account: accountRouter,
  events: eventsRouter,
  contacts: contactsRouter,
  blocks: blocksRouter,
  profiles: profilesRouter,
  chats: chatsRouter,
  groups: groupsRouter,
  message: messagesRouter,
  presence: presenceRouter,
  search: searchRouter,
});

export type AppRouter = typeof appRouter;
