import type { JSX, ParentProps } from 'solid-js';

/** The centred card the sign-in and registration forms sit in. */
export function AuthLayout(props: ParentProps<{ title: string; footer: JSX.Element }>) {
  return (
    <main class="auth">
      <div class="auth-card">
        <div class="brand">
          <img src="/favicon.svg" alt="" width="36" height="36" />
          <span>Chat</span>
        </div>
        <h1>{props.title}</h1>
        {props.children}
        <p class="auth-footer">{props.footer}</p>
      </div>
    </main>
  );
}
