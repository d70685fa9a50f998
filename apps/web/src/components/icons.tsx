import { type JSX, Match, Switch } from 'solid-js';

export type IconName =
  | 'chat'
  | 'users'
  | 'contact'
  | 'search'
  | 'compass'
  | 'inbox'
  | 'settings'
  | 'plus'
  | 'info'
  | 'send'
  | 'edit'
  | 'reply'
  | 'trash'
  | 'arrow-down'
  | 'clock'
  | 'check'
  | 'checks'
  | 'image'
  | 'file'
  | 'paperclip'
  | 'smile'
  | 'download'
  | 'chevron-left'
  | 'chevron-right'
  | 'close'
  | 'bell'
  | 'bell-off'
  | 'more';

/** Stroke icons drawn in currentColor (emoji fonts are not everywhere). Decorative: hidden from screen readers. */
export function Icon(props: { name: IconName; size?: number }): JSX.Element {
  return (
    <svg
      class="icon"
      width={props.size ?? 18}
      height={props.size ?? 18}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      stroke-width="1.8"
      stroke-linecap="round"
      stroke-linejoin="round"
      aria-hidden="true"
    >
      <Switch>
        <Match when={props.name === 'chat'}>
          <path d="M21 12a8.5 8.5 0 0 1-12.3 7.6L3 21l1.5-5.2A8.5 8.5 0 1 1 21 12z" />
          <path d="M8.5 11h7M8.5 14.5h4.5" />
        </Match>
        <Match when={props.name === 'users'}>
          <circle cx="9" cy="8" r="3.5" />
          <path d="M2.5 20.5v-.5a6 6 0 0 1 6-6h1a6 6 0 0 1 6 6v.5" />
          <path d="M15.5 4.6a3.5 3.5 0 0 1 0 6.8M21.5 20.5v-.5a6 6 0 0 0-3.5-5.5" />
        </Match>
        <Match when={props.name === 'contact'}>
          <rect x="4" y="3" width="16" height="18" rx="2.5" />
          <circle cx="12" cy="10" r="3" />
          <path d="M7.5 17.5a5 5 0 0 1 9 0" />
        </Match>
        <Match when={props.name === 'search'}>
          <circle cx="11" cy="11" r="7" />
          <path d="m20 20-3.5-3.5" />
        </Match>
        <Match when={props.name === 'compass'}>
          <circle cx="12" cy="12" r="9" />
          <path d="m15.5 8.5-2 5-5 2 2-5z" />
        </Match>
        <Match when={props.name === 'inbox'}>
          <path d="M3 13h5l1.5 3h5l1.5-3h5" />
          <path d="M5.5 5h13L21 13v5.5a1.5 1.5 0 0 1-1.5 1.5h-15A1.5 1.5 0 0 1 3 18.5V13z" />
        </Match>
        <Match when={props.name === 'settings'}>
          <circle cx="12" cy="12" r="3" />
          <path d="M12 2.5v3M12 18.5v3M2.5 12h3M18.5 12h3M5.3 5.3l2.1 2.1M16.6 16.6l2.1 2.1M5.3 18.7l2.1-2.1M16.6 7.4l2.1-2.1" />
        </Match>
        <Match when={props.name === 'plus'}>
          <path d="M12 5v14M5 12h14" />
        </Match>
        <Match when={props.name === 'info'}>
          <circle cx="12" cy="12" r="9" />
          <path d="M12 11v5.5M12 7.5v.01" />
        </Match>
        <Match when={props.name === 'send'}>
          <path d="M4 12 20 4l-4 16-4.5-6.5z" />
          <path d="m11.5 13.5 8.5-9.5" />
        </Match>
        <Match when={props.name === 'edit'}>
          <path d="M4 20h4L19 9l-4-4L4 16z" />
          <path d="m13.5 6.5 4 4" />
        </Match>
        <Match when={props.name === 'reply'}>
          <path d="M9 14 4 9l5-5" />
          <path d="M4 9h10a6 6 0 0 1 6 6v5" />
        </Match>
        <Match when={props.name === 'trash'}>
          <path d="M4 7h16M10 11v6M14 11v6" />
          <path d="M6 7l1 13h10l1-13M9 7V4h6v3" />
        </Match>
        <Match when={props.name === 'arrow-down'}>
          <path d="M12 5v14M6 13l6 6 6-6" />
        </Match>
        <Match when={props.name === 'clock'}>
          <circle cx="12" cy="12" r="8.5" />
          <path d="M12 7.5V12l3 2" />
        </Match>
        <Match when={props.name === 'check'}>
          <path d="m5 12.5 4.5 4.5L19 7.5" />
        </Match>
        <Match when={props.name === 'image'}>
          <rect x="3.5" y="4.5" width="17" height="15" rx="2.5" />
          <circle cx="9" cy="10" r="1.8" />
          <path d="m20.5 16-5-5-9 8.5" />
        </Match>
        <Match when={props.name === 'file'}>
          <path d="M14 3.5H7.5a2 2 0 0 0-2 2v13a2 2 0 0 0 2 2h9a2 2 0 0 0 2-2V8z" />
          <path d="M14 3.5V8h4.5M9 13h6M9 16.5h4" />
        </Match>
        <Match when={props.name === 'paperclip'}>
          <path d="m20 11.5-7.8 7.8a5 5 0 0 1-7.1-7.1l8.2-8.2a3.4 3.4 0 0 1 4.8 4.8l-8.2 8.2a1.7 1.7 0 0 1-2.4-2.4l7.4-7.4" />
        </Match>
        <Match when={props.name === 'smile'}>
          <circle cx="12" cy="12" r="8.5" />
          <path d="M8.5 14a4.5 4.5 0 0 0 7 0M9.5 9.5v.01M14.5 9.5v.01" />
        </Match>
        <Match when={props.name === 'download'}>
          <path d="M12 4v11M7 10.5l5 5 5-5M5 20h14" />
        </Match>
        <Match when={props.name === 'chevron-left'}>
          <path d="m15 5-7 7 7 7" />
        </Match>
        <Match when={props.name === 'chevron-right'}>
          <path d="m9 5 7 7-7 7" />
        </Match>
        <Match when={props.name === 'close'}>
          <path d="M6 6l12 12M18 6 6 18" />
        </Match>
        <Match when={props.name === 'bell'}>
          <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
          <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
        </Match>
        <Match when={props.name === 'bell-off'}>
          <path d="M8.7 3A6 6 0 0 1 18 8c0 2.8.5 4.8 1.2 6.3" />
          <path d="M17 17H3s3-2 3-9c0-.7.1-1.4.4-2" />
          <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
          <path d="m2 2 20 20" />
        </Match>
        <Match when={props.name === 'more'}>
          <circle cx="5" cy="12" r="1.2" />
          <circle cx="12" cy="12" r="1.2" />
          <circle cx="19" cy="12" r="1.2" />
        </Match>
        <Match when={props.name === 'checks'}>
          <path d="m2 12.5 4.5 4.5L16 7.5" />
          <path d="m11.5 16.5.5.5 9.5-9.5" />
        </Match>
      </Switch>
    </svg>
  );
}
