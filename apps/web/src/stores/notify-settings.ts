/**
 * Notification settings, kept per browser in localStorage (the server holds
 * no user preferences; a browser is also where the permission lives): desktop
 * notifications wanted, text hidden, sound; and whether the "Turn on desktop
 * notifications" banner was dismissed. Also the browser's permission, as a
 * signal that follows changes made in the site settings.
 */
import { createRoot, createSignal } from 'solid-js';
import { DEFAULT_NOTIFY_SETTINGS, type NotifySettings } from '../lib/notify-rules';

const KEY = 'chat.notifications';
const DISMISSED_KEY = 'chat.notifications.prompt-dismissed';

function readStored(): NotifySettings {
  try {
    const raw = localStorage.getItem(KEY);
    const stored = raw ? (JSON.parse(raw) as Partial<NotifySettings>) : {};
    const pick = (k: keyof NotifySettings) =>
      typeof stored[k] === 'boolean' ? (stored[k] as boolean) : DEFAULT_NOTIFY_SETTINGS[k];
    return { desktop: pick('desktop'), hideText: pick('hideText'), sound: pick('sound') };
  } catch {
    return { ...DEFAULT_NOTIFY_SETTINGS };
  }
}

function store(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Private mode or full storage: the setting lasts this tab's life.
  }
}

const [settings, setSettings] = createSignal<NotifySettings>(readStored());

export { settings as notifySettings };

export function changeNotifySettings(change: Partial<NotifySettings>): void {
  const next = { ...settings(), ...change };
  setSettings(next);
  store(KEY, JSON.stringify(next));
}

// Another tab changed them: follow.
window.addEventListener('storage', (event) => {
  if (event.key === KEY) setSettings(readStored());
  if (event.key === DISMISSED_KEY) setDismissed(event.newValue === '1');
});

const readDismissed = () => {
  try {
    return localStorage.getItem(DISMISSED_KEY) === '1';
  } catch {
    return false;
  }
};
const [dismissed, setDismissed] = createSignal(readDismissed());

/** The banner asking to turn notifications on was closed: it stays closed (Settings still has the switch). */
export { dismissed as notifyPromptDismissed };

export function dismissNotifyPrompt(): void {
  setDismissed(true);
  store(DISMISSED_KEY, '1');
}

export type Permission = NotificationPermission | 'unsupported';

const readPermission = (): Permission => ('Notification' in window ? Notification.permission : 'unsupported');

/** The browser's notification permission for this site, kept current. */
export const notifyPermission = createRoot(() => {
  const [permission, setPermission] = createSignal<Permission>(readPermission());
  const update = () => setPermission(readPermission());
  // Changed in the site settings: Chromium tells a permission status; every browser is re-read on return.
  window.addEventListener('focus', update);
  document.addEventListener('visibilitychange', update);
  navigator.permissions
    ?.query({ name: 'notifications' })
    .then((status) => status.addEventListener('change', update))
    .catch(() => {});
  return Object.assign(permission, { refresh: update });
});

/**
 * Asks the browser for permission (only ever from a click on the prompt or
 * the Settings switch), and turns desktop notifications on when granted.
 */
export async function turnOnDesktopNotifications(): Promise<Permission> {
  if (!('Notification' in window)) return 'unsupported';
  let result: NotificationPermission = Notification.permission;
  if (result === 'default') {
    try {
      result = await Notification.requestPermission();
    } catch {
      result = Notification.permission;
    }
  }
  notifyPermission.refresh();
  if (result === 'granted') changeNotifySettings({ desktop: true });
  return result;
}
