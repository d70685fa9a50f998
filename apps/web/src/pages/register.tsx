import { A, useSearchParams } from '@solidjs/router';
import { createSignal, Show } from 'solid-js';
import { AuthLayout } from '../components/auth-layout';
import { TextField } from '../components/text-field';
import { type FormErrors, noErrors, toFormErrors } from '../lib/form-errors';
import { usePageTitle } from '../lib/title';
import { register } from '../stores/session';

const FIELDS = ['username', 'password', 'passwordRepeat'] as const;
type Field = (typeof FIELDS)[number];

/** Creating an account (which signs it in). The server checks every rule, the match included. */
export default function RegisterPage() {
  usePageTitle(() => 'Create an account');
  const [params] = useSearchParams<{ next: string }>();
  const [username, setUsername] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [passwordRepeat, setPasswordRepeat] = createSignal('');
  const [errors, setErrors] = createSignal<FormErrors<Field>>(noErrors());
  const [pending, setPending] = createSignal(false);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (pending()) return;
    setPending(true);
    setErrors(noErrors<Field>());
    try {
      await register({ username: username(), password: password(), passwordRepeat: passwordRepeat() });
    } catch (error) {
      setErrors(toFormErrors(error, FIELDS));
    } finally {
      setPending(false);
    }
  };

  const loginHref = () => (params.next ? `/login?next=${encodeURIComponent(params.next)}` : '/login');

  return (
    <AuthLayout
      title="Create an account"
      footer={
        <>
          Already have an account? <A href={loginHref()}>Sign in</A>
        </>
      }
    >
      <form class="form" onSubmit={submit} noValidate>
        <TextField
          name="username"
          label="Username"
          autocomplete="username"
          autofocus
          hint="Letters, digits, dots, dashes and underscores."
          value={username()}
          onInput={setUsername}
          error={errors().fields.username}
        />
        <TextField
          name="password"
          label="Password"
          type="password"
          autocomplete="new-password"
          hint="At least 8 characters."
          value={password()}
          onInput={setPassword}
          error={errors().fields.password}
        />
        <TextField
          name="passwordRepeat"
          label="Repeat password"
          type="password"
          autocomplete="new-password"
          value={passwordRepeat()}
          onInput={setPasswordRepeat}
          error={errors().fields.passwordRepeat}
        />
        <Show when={errors().form}>
          {(message) => (
            <p class="form-error" role="alert">
              {message()}
            </p>
          )}
        </Show>
        <button type="submit" class="button primary wide" disabled={pending()}>
          {pending() ? 'Creating account…' : 'Create account'}
        </button>
      </form>
    </AuthLayout>
  );
}
