/**
 * The in-app banner that offers desktop notifications: the browser's own
 * permission question is asked only when "Turn on" is clicked, never on
 * load. When the browser has blocked them, it says how to allow them. Closed,
 * it stays closed in this browser; Settings keeps the switch.
 */
import { A } from '@solidjs/router';
import { createSignal, Match, Show, Switch } from 'solid-js';
import {
  dismissNotifyPrompt,
  notifyPermission,
  notifyPromptDismissed,
  notifySettings,
  turnOnDesktopNotifications,
} from '../../stores/notify-settings';
import { Icon } from '../icons';
import { BlockedHelp } from './blocked-help';

export function NotifyPrompt() {
  const [asking, setAsking] = createSignal(false);
  const wanted = () => notifySettings().desktop && !notifyPromptDismissed();
  const visible = () => wanted() && (notifyPermission() === 'default' || notifyPermission() === 'denied');
  const turnOn = async () => {
    setAsking(true);
    try {
      await turnOnDesktopNotifications();
    } finally {
      setAsking(false);
    }
  };
  return (
    <Show when={visible()}>
      <section class="notify-prompt" aria-label="Desktop notifications">
        <button
          type="button"
          class="icon-button notify-prompt-close"
          aria-label="Not now"
          title="Not now"
          onClick={dismissNotifyPrompt}
        >
          <Icon name="close" />
        </button>
        <Switch>
          <Match when={notifyPermission() === 'denied'}>
            <p class="notify-prompt-title">Desktop notifications are blocked</p>
            <BlockedHelp />
          </Match>
          <Match when={true}>
            <p class="notify-prompt-title">Get notified of new messages</p>
            <p class="muted">
              See who wrote while this tab is in the background. You can change this in <A href="/settings">Settings</A>
              .
            </p>
            <button type="button" class="button primary" disabled={asking()} onClick={() => void turnOn()}>
              Turn on desktop notifications
            </button>
          </Match>
        </Switch>
      </section>
    </Show>
  );
}
