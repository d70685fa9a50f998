import { A } from '@solidjs/router';
import { EmptyState, PaneHeader } from '../components/pane';
import { usePageTitle } from '../lib/title';

export default function NotFoundPage() {
  usePageTitle(() => 'Page not found');
  return (
    <>
      <PaneHeader title="Page not found" />
      <div class="pane-body centered">
        <EmptyState icon="compass" title="Page not found">
          <p>There is nothing at this address.</p>
          <p>
            <A href="/">Back to your chats</A>
          </p>
        </EmptyState>
      </div>
    </>
  );
}
