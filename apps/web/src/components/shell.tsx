import { A, useLocation } from '@solidjs/router';
import { createSignal, type ParentProps, Show } from 'solid-js';
import { lazyPart } from '../lib/lazy-part';
import { isSearchPath } from '../lib/search-url';
import { addressBook } from '../stores/contacts';
import { useNotifications } from '../stores/notifications';
import { searchOpen } from '../stores/search';
import { useIdleReports } from '../stores/status';
import { ChatList } from './chat-list';
import { Icon } from './icons';
import { KeyboardShortcuts } from './keyboard/keyboard-shortcuts';
import { NotifyPrompt } from './notifications/notify-prompt';
import { SearchBox } from './search/search-box';
import { useSearchRouting } from './search/use-search-routing';
import { SkipLink } from './skip-link';
import { TransportIndicator } from './transport-indicator';
import { UserMenu } from './user-menu';

// Shown on demand, so not in the first paint's script (lib/lazy-part.ts).
const NewGroupDialog = lazyPart(() => import('./new-group-dialog'), 'NewGroupDialog');
const SearchPanel = lazyPart(() => import('./search/search-panel'), 'SearchPanel');

/**
 * The signed-in layout: the chat list on the left, the route's content on the
 * right. While searching, the results take the chat list's place (and stay
 * there beside a result opened on the right). On a narrow window only one
 * shows: the left column at `/` and `/search`, else the content.
 */
export function Shell(props: ParentProps) {
  const location = useLocation();
  const search = useSearchRouting();
  const listView = () => location.pathname === '/' || isSearchPath(location.pathname);
  useNotifications();
  useIdleReports();
  return (
    <div class="shell" data-view={listView() ? 'list' : 'content'}>
      <SkipLink />
      <aside class="sidebar" aria-label="Chats and navigation">
        <div class="sidebar-top">
          <UserMenu />
        </div>
        <NotifyPrompt />
        <SearchBox actions={search} />
        <Show when={searchOpen()} fallback={<Chats />}>
          <SearchPanel actions={search} />
        </Show>
        <footer class="sidebar-footer">
          <TransportIndicator />
        </footer>
      </aside>
      <main class="pane" id="main">
        {props.children}
      </main>
      <KeyboardShortcuts />
    </div>
  );
}

/** The way to contacts and the chat list (what search results replace). */
function Chats() {
  return (
    <>
      <nav class="sidebar-nav" aria-label="Main">
        <ContactsLink />
      </nav>
      <div class="section-head">
        <h2 class="section-title">Chats</h2>
        <NewGroupButton />
      </div>
      <ChatList />
    </>
  );
}

/** "Contacts", with the number of requests waiting for an answer. */
function ContactsLink() {
  const waiting = () => addressBook().incoming.length;
  return (
    <A href="/contacts" class="nav-link" activeClass="active">
      <Icon name="contact" /> Contacts
      <Show when={waiting() > 0}>
        <span class="badge" title={`${waiting()} contact request${waiting() === 1 ? '' : 's'}`}>
          {waiting()}
          <span class="visually-hidden"> waiting</span>
        </span>
      </Show>
    </A>
  );
}

function NewGroupButton() {
  const [open, setOpen] = createSignal(false);
  return (
    <>
      <button type="button" class="icon-button" aria-label="New group" title="New group" onClick={() => setOpen(true)}>
        <Icon name="plus" />
      </button>
      <Show when={open()}>
        <NewGroupDialog onClose={() => setOpen(false)} />
      </Show>
    </>
  );
}
