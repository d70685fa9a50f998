/**
 * Settings › Notifications: desktop notifications (asking the browser when
 * turned on), the text hidden or shown, the sound. Kept in this browser.
 */
import { createSignal, type JSX, Match, Switch } from 'solid-js';
import { playChime } from '../../lib/chime';
import {
  changeNotifySettings,
  notifyPermission,
  notifySettings,
  turnOnDesktopNotifications,
} from '../../stores/notify-settings';
import { BlockedHelp } from './blocked-help';

function Toggle(props: {
  label: string;
  hint: JSX.Element;
  checked: boolean;
  disabled?: boolean;
  onChange: (on: boolean) => void;
}) {
  return (
    <label class="toggle-row">
      <input
        type="checkbox"
        role="switch"
        aria-checked={props.checked}
        checked={props.checked}
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.currentTarget.checked)}
      />
      <span>
        <span class="toggle-label">{props.label}</span>
        <span class="muted toggle-hint">{props.hint}</span>
      </span>
    </label>
  );
}

export function NotifySettingsSection() {
  const [asking, setAsking] = createSignal(false);
  const permission = notifyPermission;
  const desktopOn = () => notifySettings().desktop && permission() === 'granted';
  const setDesktop = async (on: boolean) => {
    if (!on) return changeNotifySettings({ desktop: false });
    changeNotifySettings({ desktop: true });
    setAsking(true);
    try {
      await turnOnDesktopNotifications();
    } finally {
      setAsking(false);
    }
  };
  return (
    <section class="card" aria-labelledby="notifications-title">
      <h2 id="notifications-title" class="card-title">
        Notifications
      </h2>
      <p class="muted">For this browser. Only one tab notifies, even with several open.</p>
      <div class="toggles">
        <Toggle
          label="Desktop notifications"
          hint="When a message comes while this tab is in the background or another chat is open."
          checked={desktopOn()}
          disabled={asking() || permission() === 'unsupported' || permission() === 'denied'}
          onChange={(on) => void setDesktop(on)}
        />
        <Switch>
          <Match when={permission() === 'denied'}>
            <BlockedHelp />
          </Match>
          <Match when={permission() === 'unsupported'}>
            <p class="muted">This browser cannot show desktop notifications.</p>
          </Match>
        </Switch>
        <Toggle
          label="Show message text"
          hint={'Off: a notification says only who wrote, and "New message".'}
          checked={!notifySettings().hideText}
          onChange={(on) => changeNotifySettings({ hideText: !on })}
        />
        <Toggle
          label="Sound"
          hint="A short, quiet sound when a message comes."
          checked={notifySettings().sound}
          onChange={(on) => {
            changeNotifySettings({ sound: on });
            if (on) playChime();
          }}
        />
      </div>
    </section>
  );
}
