/**
 * Moving through the results with the keyboard: ↓ from the box to the first
 * hit, ↑/↓ between hits, ↑ from the first back to the box, Home/End. The hits
 * are links, so Enter opens one and Tab still walks through them.
 */

const HIT_SELECTOR = '#search-results a.search-hit';

function hits(): HTMLElement[] {
  return Array.from(document.querySelectorAll<HTMLElement>(HIT_SELECTOR));
}

/** Focuses the first hit; false when there is none. */
export function focusFirstHit(): boolean {
  const first = hits()[0];
  first?.focus();
  return Boolean(first);
}

/** Handles an arrow key pressed on a hit; true when it moved the focus. */
export function moveBetweenHits(event: KeyboardEvent, box: () => HTMLElement | null): boolean {
  const all = hits();
  const active = document.activeElement;
  const at = active instanceof HTMLElement ? all.indexOf(active) : -1;
  if (at < 0) return false;
  let next: HTMLElement | null | undefined;
  if (event.key === 'ArrowDown') next = all[at + 1];
  else if (event.key === 'ArrowUp') next = at === 0 ? box() : all[at - 1];
  else if (event.key === 'Home') next = all[0];
  else if (event.key === 'End') next = all.at(-1);
  if (!next) return false;
  next.focus();
  return true;
}
