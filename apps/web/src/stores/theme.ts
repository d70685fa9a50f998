/**
 * The colour theme: "system" (the default) follows the operating system's
 * light or dark preference, and keeps following it while the app is open;
 * "light" or "dark" is a choice made in Settings, remembered per browser in
 * localStorage (as Slack does: a phone may be dark while a desktop is light).
 * The resolved theme is put on <html data-theme>, which styles.css reads.
 */
import { createSignal } from 'solid-js';

export type ThemeChoice = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

const KEY = 'chat.theme';
const CHOICES: readonly string[] = ['system', 'light', 'dark'] satisfies ThemeChoice[];

function readStored(): ThemeChoice {
  try {
    const raw = localStorage.getItem(KEY);
    return raw !== null && CHOICES.includes(raw) ? (raw as ThemeChoice) : 'system';
  } catch {
    return 'system';
  }
}

const systemDark = window.matchMedia('(prefers-color-scheme: dark)');
const [choice, setChoice] = createSignal<ThemeChoice>(readStored());
const [systemTheme, setSystemTheme] = createSignal<Theme>(systemDark.matches ? 'dark' : 'light');

export { choice as themeChoice };

/** The theme on screen now. */
export function theme(): Theme {
  const chosen = choice();
  return chosen === 'system' ? systemTheme() : chosen;
}

function apply(): void {
  const root = document.documentElement;
  root.dataset.theme = theme();
  root.dataset.themeChoice = choice();
}

export function chooseTheme(next: ThemeChoice): void {
  setChoice(next);
  try {
    if (next === 'system') localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, next);
  } catch {
    // Private mode or full storage: the choice lasts this tab's life.
  }
  apply();
}

/** Sets the theme before the first paint and follows the system and other tabs afterwards. Call once at start-up. */
export function startTheme(): void {
  apply();
  systemDark.addEventListener('change', (event) => {
    setSystemTheme(event.matches ? 'dark' : 'light');
    apply();
  });
  window.addEventListener('storage', (event) => {
    if (event.key !== KEY && event.key !== null) return;
    setChoice(readStored());
    apply();
  });
}
