import { Route, Router } from '@solidjs/router';
import type { ParentProps } from 'solid-js';
import { RequireSession, RequireSignedOut } from './components/guards';
import { Shell } from './components/shell';
import { useTitleCount } from './lib/title';
import ChatPage from './pages/chat';
import ContactsPage from './pages/contacts';
import GroupPage from './pages/group';
import HomePage from './pages/home';
import LoginPage from './pages/login';
import MessagePage from './pages/message';
import NotFoundPage from './pages/not-found';
import RegisterPage from './pages/register';
import SearchPage from './pages/search';
import SettingsPage from './pages/settings';
import { unreadTotal } from './stores/chats';
import { followSession } from './stores/events';
// Stores that work with no chat open: sending what the outbox holds, marking what arrived as delivered.
import './stores/outbox';
import './stores/marks';

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
