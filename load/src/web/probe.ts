/**
 * What the benchmark installs in every page (Playwright's init script, run
 * before the app's own): a stamp for the moment something is painted, the
 * time of the last click, and the scroll-back loop. It is serialised into
 * the page, so it refers to nothing outside itself.
 *
 * "Painted" here: the element matching the selector is in the document and
 * visible (a box of non-zero height that overlaps the window), a
 * requestAnimationFrame callback has seen it so, and a message posted from
 * that callback has arrived. Chromium runs such a message after the frame's
 * style, layout and paint, so the stamp is the end of the main thread's work
 * for the first frame that shows the element.
 */

export interface ScrollBackResult {
  /** Whether the oldest message was reached (and shown) before the deadline. */
  reachedOldest: boolean;
  ms: number;
  /** requestAnimationFrame to requestAnimationFrame, every frame while scrolling. */
  frameIntervals: number[];
  /** From a frame's requestAnimationFrame to the end of its rendering (the posted message), every frame. */
  frameWork: number[];
}

export interface BenchProbe {
  /** The last click's event time (performance.now()'s clock), null until a click after `arm`. */
  clickAt: number | null;
  /** Forgets the last click: what is awaited next must follow a click made after this. */
  arm(): void;
  /** Resolves with performance.now() once `selector` is painted (above); with `afterClick`, only after a click. */
  painted(selector: string, afterClick: boolean): Promise<number>;
  scrollBack(scroller: string, oldest: string, stepPx: number, timeoutMs: number): Promise<ScrollBackResult>;
}

declare global {
  interface Window {
    __bench: BenchProbe;
  }
}

export function installProbe(): void {
  const afterRender = (then: (at: number) => void) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => then(performance.now());
    channel.port2.postMessage(null);
  };
  const visible = (el: Element | null): boolean => {
    if (!el) return false;
    const box = el.getBoundingClientRect();
    return box.height > 0 && box.bottom > 0 && box.top < window.innerHeight;
  };
  const probe: BenchProbe = {
    clickAt: null,
    arm() {
      probe.clickAt = null;
    },
    painted(selector, afterClick) {
      return new Promise((resolve) => {
        const frame = () => {
          if ((!afterClick || probe.clickAt !== null) && visible(document.querySelector(selector))) {
            afterRender(resolve);
          } else requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
      });
    },
    scrollBack(scrollerSelector, oldestSelector, stepPx, timeoutMs) {
      return new Promise((resolve) => {
        const frameIntervals: number[] = [];
        const frameWork: number[] = [];
        const started = performance.now();
        let last = 0;
        const frame = (now: number) => {
          if (last) frameIntervals.push(now - last);
          last = now;
          const begun = performance.now();
          afterRender((at) => frameWork.push(at - begun));
          const scroller = document.querySelector(scrollerSelector);
          const done = scroller !== null && scroller.scrollTop <= 0 && visible(document.querySelector(oldestSelector));
          const late = performance.now() - started > timeoutMs;
          if (done || late || !scroller) {
            afterRender(() =>
              resolve({ reachedOldest: done, ms: performance.now() - started, frameIntervals, frameWork }),
            );
            return;
          }
          scroller.scrollTop = Math.max(0, scroller.scrollTop - stepPx);
          requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
      });
    },
  };
  window.__bench = probe;
  document.addEventListener(
    'click',
    (event) => {
      probe.clickAt = event.timeStamp;
    },
    { capture: true },
  );
}
