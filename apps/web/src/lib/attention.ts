/**
 * Whether the person is looking at this tab: it is visible and the window
 * has focus. Only then is an open chat marked read.
 */
import { createRoot, createSignal } from 'solid-js';

export const pageAttended = createRoot(() => {
  const read = () => document.visibilityState === 'visible' && document.hasFocus();
  const [attended, setAttended] = createSignal(read());
  const update = () => setAttended(read());
  document.addEventListener('visibilitychange', update);
  window.addEventListener('focus', update);
  window.addEventListener('blur', update);
  return attended;
});
