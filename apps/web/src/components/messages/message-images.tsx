import { For } from 'solid-js';
import { fitInside } from '../../lib/image-fit';
import type { Attachment } from '../../lib/outbox-queue';

/** Largest box a thumbnail is shown in; one image alone gets more room than several. */
const ONE = 320;
const MANY = 160;

/**
 * A message's images as thumbnails, each sized from the stored dimensions
 * before it loads (width, height and aspect-ratio set), so nothing jumps.
 * A click (or Enter) opens the viewer.
 */
export function MessageImages(props: { images: Attachment[]; onOpen(id: string): void }) {
  const box = () => (props.images.length === 1 ? ONE : MANY);
  return (
    <ul class="message-images" classList={{ single: props.images.length === 1 }} aria-label="Images">
      <For each={props.images}>
        {(image) => {
          const size = () => fitInside(image.thumbWidth, image.thumbHeight, box(), box());
          return (
            <li>
              <button
                type="button"
                class="image-thumb"
                aria-label={`Open image ${image.fileName}`}
                onClick={() => props.onOpen(image.id)}
              >
                <img
                  src={`/api/images/${image.id}/thumb`}
                  alt={image.fileName}
                  width={size().width}
                  height={size().height}
                  style={{ 'aspect-ratio': `${image.thumbWidth} / ${image.thumbHeight}` }}
                  loading="lazy"
                  decoding="async"
                />
              </button>
            </li>
          );
        }}
      </For>
    </ul>
  );
}
