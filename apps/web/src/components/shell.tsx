import { A, useLocation, useNavigate } from '@solidjs/router';
import { createSignal, type ParentProps, Show } from 'solid-js';
import { addressBook } from '../stores/contacts';
import { ChatList } from './chat-list';
import { Icon } from './icons';
import { NewGroupDialog } from './new-group-dialog';
import { TransportIndicator } from './transport-indicator';
import { UserMenu } from './user-menu';

/**
 * The signed-in layout: the chat list on the left, the route's content on the
 * right. On a narrow window only one shows: the list at `/`, else the content.
 */
export function Shell(props: ParentProps) {
  const location = useLocation();
  return (
    <div class="shell" data-view={location.pathname === '/' ? 'list' : 'content'}>
      <aside class="sidebar" aria-label="Chats and navigation">
        <div class="sidebar-top">
          <UserMenu />
        </div>
        <SearchBox />
        <nav class="sidebar-nav" aria-label="Main">
          <ContactsLink />
        </nav>
        <div class="section-head">
          <h2 class="section-title">Chats</h2>
          <NewGroupButton />
        </div>
        <ChatList />
        <footer class="sidebar-footer">
          <TransportIndicator />
        </footer>
      </aside>
      <main class="pane">{props.children}</main>
    </div>
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

/** Goes to /search?q=…; the search itself arrives in a later release. */
function SearchBox() {
  const navigate = useNavigate();
  const [query, setQuery] = createSignal('');
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const q = query().trim();
    navigate(q ? `/search?q=${encodeURIComponent(q)}` : '/search');
  };
  return (
    <search class="search-box">
      <form onSubmit={submit}>
        <label for="sidebar-search" class="visually-hidden">
          Search messages
        </label>
        <input
          id="sidebar-search"
          type="search"
          placeholder="Search messages"
          autocomplete="off"
          value={query()}
          onInput={(e) => setQuery(e.currentTarget.value)}
        />
      </form>
    </search>
  );
}
