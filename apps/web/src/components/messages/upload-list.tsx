import { Index, Match, Show, Switch } from 'solid-js';
import { fileKind, sizeLabel } from '../../lib/file-label';
import type { UploadTray } from '../../stores/uploads';
import { Icon } from '../icons';

/** The images and files attached to the message being written: progress, cancel, and why one was refused. */
export function UploadList(props: { tray: UploadTray }) {
  return (
    <Show when={props.tray.items().length > 0}>
      <ul class="upload-list" aria-label="Attached images and files">
        <Index each={props.tray.items()}>
          {(item) => (
            <li class="upload-item" classList={{ failed: item().status === 'failed' }} data-status={item().status}>
              <div class="upload-thumb" aria-hidden="true">
                <Show
                  when={item().attachment?.kind === 'image' && item().attachment}
                  fallback={<Icon name={item().attachment ? 'file' : 'paperclip'} size={22} />}
                >
                  {(a) => <img src={`/api/images/${a().id}/thumb`} alt="" width={48} height={48} />}
                </Show>
              </div>
              <div class="upload-info">
                <span class="upload-name" title={item().name}>
                  {item().name}
                </span>
                <Switch>
                  <Match when={item().status === 'uploading'}>
                    <progress
                      class="upload-progress"
                      max={1}
                      value={item().progress}
                      aria-label={`Uploading ${item().name}`}
                    />
                  </Match>
                  <Match when={item().status === 'done'}>
                    <span class="upload-meta">
                      <Show when={item().attachment?.kind === 'file' && item().attachment}>
                        {(a) => `${fileKind(a()).label} · `}
                      </Show>
                      {sizeLabel(item().attachment?.bytes ?? item().bytes)}
                    </span>
                  </Match>
                  <Match when={item().status === 'failed'}>
                    <span class="upload-error" role="alert">
                      {item().error}
                    </span>
                  </Match>
                </Switch>
              </div>
              <button
                type="button"
                class="icon-button"
                aria-label={item().status === 'uploading' ? `Cancel upload of ${item().name}` : `Remove ${item().name}`}
                title={item().status === 'uploading' ? 'Cancel' : 'Remove'}
                onClick={() => props.tray.remove(item().key)}
              >
                <Icon name="close" size={16} />
              </button>
            </li>
          )}
        </Index>
      </ul>
    </Show>
  );
}
