/**
 * Route guards: the shell needs a signed-in user (else /login?next=<here>),
 * the sign-in pages want a signed-out one (else on to `next` or home).
 */
import { Navigate, useLocation, useSearchParams } from '@solidjs/router';
import { Match, type ParentProps, Switch } from 'solid-js';
import { loginPathFor, safeNextPath } from '../lib/next-path';
import { currentUser, loadSession, session } from '../stores/session';

export function RequireSession(props: ParentProps) {
  const location = useLocation();
  const loginPath = () => {
    const s = session();
    if (s.status === 'signed-out' && s.explicit) return '/login';
    return loginPathFor(location.pathname + location.search);
  };
  return (
    <Switch>
      <Match when={session().status === 'loading'}>
        <Splash />
      </Match>
      <Match when={session().status === 'unreachable'}>
        <Unreachable />
      </Match>
      <Match when={session().status === 'signed-out'}>
        <Navigate href={loginPath()} />
      </Match>
      <Match when={currentUser()}>{props.children}</Match>
    </Switch>
  );
}

export function RequireSignedOut(props: ParentProps) {
  const [params] = useSearchParams<{ next: string }>();
  return (
    <Switch fallback={props.children}>
      <Match when={session().status === 'loading'}>
        <Splash />
      </Match>
      <Match when={currentUser()}>
        <Navigate href={safeNextPath(params.next)} />
      </Match>
    </Switch>
  );
}

function Splash() {
  return (
    <div class="splash" aria-busy="true">
      <span class="spinner" aria-hidden="true" />
      <span class="visually-hidden">Loading…</span>
    </div>
  );
}

function Unreachable() {
  return (
    <div class="splash">
      <div class="splash-card">
        <h1>Cannot reach the server</h1>
        <p>Check your connection; the chat will load as soon as the server answers.</p>
        <button type="button" class="button primary" onClick={() => void loadSession()}>
          Try again
        </button>
      </div>
    </div>
  );
}
