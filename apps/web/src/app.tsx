import { Route, Router } from '@solidjs/router';
import { createEffect, type ParentProps } from 'solid-js';
import { RequireSession, RequireSignedOut } from './components/guards';
import { Shell } from './components/shell';
import { useFaviconCount } from './lib/favicon-badge';
import { lazyPart, preloadLazyParts } from './lib/lazy-part';
import { useTitleCount } from './lib/title';
import HomePage from './pages/home';
import { chatListStatus, unreadTotal } from './stores/chats';
import { followSession } from './stores/events';
// Stores that work with no chat open: sending what the outbox holds, marking what arrived as delivered.
import './stores/outbox';
import './stores/marks';

// Every page but the home page is a chunk of its own (lib/lazy-part.ts): a cold load runs the
// shell and the chat list, and the one page it opens.
const ChatPage = lazyPart(() => import('./pages/chat'), 'default');
const GroupPage = lazyPart(() => import('./pages/group'), 'default');
const ContactsPage = lazyPart(() => import('./pages/contacts'), 'default');
const LoginPage = lazyPart(() => import('./pages/login'), 'default');
const MessagePage = lazyPart(() => import('./pages/message'), 'default');
const NotFoundPage = lazyPart(() => import('./pages/not-found'), 'default');
const RegisterPage = lazyPart(() => import('./pages/register'), 'default');
const SearchPage = lazyPart(() => import('./pages/search'), 'default');
const SettingsPage = lazyPart(() => import('./pages/settings'), 'default');

// The page a cold load opens is fetched at once, alongside the session, the markdown chunk and the
// first data, rather than after the session has loaded.
if (window.location.pathname.startsWith('/groups/')) void GroupPage.preload();
else if (window.location.pathname.startsWith('/chats/')) void ChatPage.preload();

const Public = (props: ParentProps) => <RequireSignedOut>{props.children}</RequireSignedOut>;

const SignedIn = (props: ParentProps) => (
  <RequireSession>
    <Shell>{props.children}</Shell>
  </RequireSession>
);

/**
 * Every route is a real address: the server answers any of them with
 * index.html, so each survives a reload.
 */
export function App() {
  followSession();
  useTitleCount(unreadTotal);
  useFaviconCount(unreadTotal);
  // The chat list is on screen: the rest of the app is fetched in idle time.
  createEffect(() => {
    if (chatListStatus() === 'ready') preloadLazyParts();
  });
  return (
    <Router>
      <Route path="/" component={Public}>
        <Route path="/login" component={LoginPage} />
        <Route path="/register" component={RegisterPage} />
      </Route>
      <Route path="/" component={SignedIn}>
        <Route path="/" component={HomePage} />
        <Route path="/contacts" component={ContactsPage} />
        <Route path="/chats/:handle" component={ChatPage} />
        <Route path="/chats/:handle/messages/:messageId" component={ChatPage} />
        <Route path="/groups/:id" component={GroupPage} />
        <Route path="/groups/:id/messages/:messageId" component={GroupPage} />
        <Route path="/messages/:messageId" component={MessagePage} />
        <Route path="/search" component={SearchPage} />
        <Route path="/settings" component={SettingsPage} />
        <Route path="*404" component={NotFoundPage} />
      </Route>
    </Router>
  );
}
