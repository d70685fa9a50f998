import { For } from 'solid-js';
import { fileKind, sizeLabel } from '../../lib/file-label';
import type { Attachment } from '../../lib/outbox-queue';
import { Icon } from '../icons';

/**
 * A message's files as cards: an icon by type, the name (as text, never
 * markup), type and size, and a link that downloads it. The server sends it
 * as an attachment whatever it is (docs/media.md), so the browser saves it
 * rather than opening it.
 */
export function MessageFiles(props: { files: Attachment[] }) {
  return (
    <ul class="message-files" aria-label="Files">
      <For each={props.files}>
        {(file) => {
          const kind = () => fileKind(file);
          return (
            <li class="file-card" data-testid="file-card">
              <span class="file-icon" data-icon={kind().icon} aria-hidden="true">
                <Icon name="file" size={22} />
              </span>
              <span class="file-info">
                <span class="file-name" title={file.fileName}>
                  {file.fileName}
                </span>
                <span class="file-meta">
                  {kind().label} · {sizeLabel(file.bytes)}
                </span>
              </span>
              <a
                class="icon-button file-download"
                href={`/api/files/${encodeURIComponent(file.id)}`}
                download={file.fileName}
                aria-label={`Download ${file.fileName}`}
                title="Download"
              >
                <Icon name="download" size={18} />
              </a>
            </li>
          );
        }}
      </For>
    </ul>
  );
}
