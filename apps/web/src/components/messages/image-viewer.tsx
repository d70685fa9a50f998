import { createSignal, onCleanup, onMount, Show } from 'solid-js';
import { fitInside } from '../../lib/image-fit';
import type { Attachment } from '../../lib/outbox-queue';
import { Icon } from '../icons';

export interface ImageViewerProps {
  /** The chat's loaded images, in order; the viewer moves through them. */
  images: Attachment[];
  startId: string;
  onClose(): void;
}

/**
 * The full image in a modal dialog: ←/→ (or the buttons) for the previous
 * and next image, Escape or Close to leave, Download to save the original.
 */
export function ImageViewer(props: ImageViewerProps) {
  let dialog: HTMLDialogElement | undefined;
  // Followed by id: the list may grow (older pages, new messages) while the viewer is open.
  const [currentId, setCurrentId] = createSignal(props.startId);
  const index = () =>
    Math.max(
      0,
      props.images.findIndex((i) => i.id === currentId()),
    );
  const current = () => props.images[index()];
  const count = () => props.images.length;
  const move = (step: number) => {
    const next = props.images[Math.min(count() - 1, Math.max(0, index() + step))];
    if (next) setCurrentId(next.id);
  };
  const size = () => {
    const image = current();
    return image ? fitInside(image.width, image.height, 4096, 4096) : { width: 1, height: 1 };
  };

  onMount(() => {
    const opener = document.activeElement;
    dialog?.showModal();
    onCleanup(() => {
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    });
  });

  return (
    <dialog
      ref={dialog}
      class="image-viewer"
      aria-label="Image viewer"
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
      onKeyDown={(e) => {
        if (e.key === 'ArrowLeft') {
          e.preventDefault();
          move(-1);
        } else if (e.key === 'ArrowRight') {
          e.preventDefault();
          move(1);
        }
      }}
      onClick={(e) => {
        // A click on the backdrop (the dialog itself, around the image) closes.
        if (e.target === e.currentTarget) props.onClose();
      }}
    >
      <Show when={current()}>
        {(image) => (
          <>
            <div class="viewer-bar">
              <span class="viewer-title" title={image().fileName}>
                {image().fileName}
              </span>
              <span class="viewer-count" aria-live="polite">
                {index() + 1} of {count()}
              </span>
              <a
                class="button small"
                href={`/api/images/${image().id}?download=1`}
                download={image().fileName}
                aria-label={`Download ${image().fileName}`}
              >
                <Icon name="download" size={16} /> Download
              </a>
              <button type="button" class="icon-button viewer-close" aria-label="Close" onClick={() => props.onClose()}>
                <Icon name="close" size={20} />
              </button>
            </div>
            <div class="viewer-stage">
              <button
                type="button"
                class="viewer-nav"
                aria-label="Previous image"
                disabled={index() === 0}
                onClick={() => move(-1)}
              >
                <Icon name="chevron-left" size={28} />
              </button>
              <img
                class="viewer-image"
                src={`/api/images/${image().id}`}
                alt={image().fileName}
                width={size().width}
                height={size().height}
                style={{ 'aspect-ratio': `${image().width} / ${image().height}` }}
              />
              <button
                type="button"
                class="viewer-nav"
                aria-label="Next image"
                disabled={index() >= count() - 1}
                onClick={() => move(1)}
              >
                <Icon name="chevron-right" size={28} />
              </button>
            </div>
          </>
        )}
      </Show>
    </dialog>
  );
}
