import { useSearchParams } from '@solidjs/router';
import { EmptyState, PaneHeader } from '../components/pane';
import { usePageTitle } from '../lib/title';

export default function SearchPage() {
  const [params] = useSearchParams<{ q: string }>();
  usePageTitle(() => (params.q ? `Search: ${params.q}` : 'Search'));
  return (
    <>
      <PaneHeader title="Search" subtitle={params.q ? `Results for “${params.q}”` : 'Every chat you are in'} />
      <div class="pane-body centered">
        <EmptyState icon="search" title="Search is on its way">
          <p>Searching your chats comes in a later release.</p>
        </EmptyState>
      </div>
    </>
  );
}
