import { EmptyState, PaneHeader } from '../components/pane';
import { usePageTitle } from '../lib/title';

export default function ContactsPage() {
  usePageTitle(() => 'Contacts');
  return (
    <>
      <PaneHeader title="Contacts" subtitle="Your address book" />
      <div class="pane-body centered">
        <EmptyState icon="contact" title="No contacts yet">
          <p>Adding people to your address book comes in a later release.</p>
        </EmptyState>
      </div>
    </>
  );
}
