import { A, useSearchParams } from '@solidjs/router';
import { createSignal, Show } from 'solid-js';
import { AuthLayout } from '../components/auth-layout';
import { TextField } from '../components/text-field';
import { type FormErrors, noErrors, toFormErrors } from '../lib/form-errors';
import { usePageTitle } from '../lib/title';
import { login } from '../stores/session';

const FIELDS = ['username', 'password'] as const;
type Field = (typeof FIELDS)[number];

/** Signing in. On success the session changes and the route guard moves on to `next`. */
export default function LoginPage() {
  usePageTitle(() => 'Sign in');
  const [params] = useSearchParams<{ next: string }>();
  const [username, setUsername] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [errors, setErrors] = createSignal<FormErrors<Field>>(noErrors());
  const [pending, setPending] = createSignal(false);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (pending()) return;
    setPending(true);
    setErrors(noErrors<Field>());
    try {
      await login({ username: username(), password: password() });
    } catch (error) {
      setErrors(toFormErrors(error, FIELDS));
    } finally {
      setPending(false);
    }
  };

  const registerHref = () => (params.next ? `/register?next=${encodeURIComponent(params.next)}` : '/register');

  return (
    <AuthLayout
      title="Sign in"
      footer={
        <>
          New here? <A href={registerHref()}>Create an account</A>
        </>
      }
    >
      <form class="form" onSubmit={submit} noValidate>
        <TextField
          name="username"
          label="Username"
          autocomplete="username"
          autofocus
          value={username()}
          onInput={setUsername}
          error={errors().fields.username}
        />
        <TextField
          name="password"
          label="Password"
          type="password"
          autocomplete="current-password"
          value={password()}
          onInput={setPassword}
          error={errors().fields.password}
        />
        <Show when={errors().form}>
          {(message) => (
            <p class="form-error" role="alert">
              {message()}
            </p>
          )}
        </Show>
        <button type="submit" class="button primary wide" disabled={pending()}>
          {pending() ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </AuthLayout>
  );
}
