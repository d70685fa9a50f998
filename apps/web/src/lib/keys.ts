/**
 * Keys as people know them on their own machine: ⌘ and ⌥ on a Mac, Ctrl and
 * Alt elsewhere. A shortcut is written once with `Mod` for "⌘ on a Mac, Ctrl
 * elsewhere" and shown per platform.
 */

export type Platform = 'mac' | 'other';

/** What the browser says it runs on; iPhones and iPads use ⌘ with a keyboard too. */
export function detectPlatform(nav: Pick<Navigator, 'platform' | 'userAgent'> = navigator): Platform {
  return /Mac|iPhone|iPad|iPod/i.test(nav.platform || nav.userAgent) ? 'mac' : 'other';
}

/** A key of a shortcut: a modifier by name, or the key itself (`K`, `ArrowUp`, `?`). */
export type Key = 'Mod' | 'Alt' | 'Shift' | 'Enter' | 'Escape' | 'ArrowUp' | 'ArrowDown' | (string & {});

const MAC: Record<string, string> = { Mod: '⌘', Alt: '⌥', Shift: '⇧', Enter: '↩', Escape: 'Esc' };
const OTHER: Record<string, string> = { Mod: 'Ctrl', Alt: 'Alt', Shift: 'Shift', Enter: 'Enter', Escape: 'Esc' };
const ARROWS: Record<string, string> = { ArrowUp: '↑', ArrowDown: '↓' };

/** How one key is written on the platform's keyboard. */
export function keyCap(key: Key, platform: Platform): string {
  return ARROWS[key] ?? (platform === 'mac' ? MAC : OTHER)[key] ?? key;
}

/** A combination as one string: "⌘K" on a Mac (its habit: no separators), "Ctrl+K" elsewhere. */
export function comboLabel(keys: Key[], platform: Platform): string {
  return keys.map((k) => keyCap(k, platform)).join(platform === 'mac' ? '' : '+');
}

/** The platform's command modifier is down (⌘ on a Mac, where Ctrl+K stays the text fields' own). */
export function modPressed(e: Pick<KeyboardEvent, 'ctrlKey' | 'metaKey'>, platform: Platform): boolean {
  return platform === 'mac' ? e.metaKey && !e.ctrlKey : e.ctrlKey && !e.metaKey;
}

/** Where typing goes: `?` typed there is a question mark, not a shortcut. */
export function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement)
    return true;
  if (!(target instanceof HTMLInputElement)) return false;
  return !['button', 'checkbox', 'radio', 'submit', 'reset', 'file', 'image', 'range', 'color'].includes(target.type);
}
