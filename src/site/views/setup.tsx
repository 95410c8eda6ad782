import { MIN_PASSWORD_LENGTH } from '../../newsroom/setup.ts';
import { Layout, type Chrome } from './layout.tsx';
import { describedBy, HintAndError } from '../../http/views/form.tsx';

export interface SetupForm {
  email: string;
  csrf: string;
  action: string;
  errors: Record<string, string>;
  notice?: string;
  done?: boolean;
}

function Field({ name, label, errors, hint, autocomplete }: { name: string; label: string; errors: Record<string, string>; hint?: string; autocomplete: string }) {
  const error = errors[name];
  return (
    <div>
      <label for={name}>{label}</label>
      <input
        id={name}
        name={name}
        type="password"
        required
        minLength={MIN_PASSWORD_LENGTH}
        autocomplete={autocomplete}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(name, hint, error)}
      />
      <HintAndError id={name} hint={hint} error={error} />
    </div>
  );
}

export function SetupPage({ chrome, form }: { chrome: Chrome; form: SetupForm }) {
  return (
    <Layout chrome={chrome} meta={{ title: 'Set your password', noindex: true }}>
      <header class="page-header">
        <h1>{form.done ? 'Your password is set' : 'Set your password'}</h1>
        <p>{form.done ? `You can now sign in to the newsroom as ${form.email}.` : `Choose the password for ${form.email}.`}</p>
      </header>
      {form.notice ? (
        <p class="notice" role="alert">
          {form.notice}
        </p>
      ) : null}
      {form.done ? null : (
        <form class="form" method="post" action={form.action}>
          <input type="hidden" name="_csrf" value={form.csrf} />
          <input type="text" name="username" value={form.email} autocomplete="username" hidden readOnly />
          <Field name="password" label="New password" errors={form.errors} hint={`At least ${MIN_PASSWORD_LENGTH} characters. A passphrase of a few words is easy to remember.`} autocomplete="new-password" />
          <Field name="confirm" label="The same password again" errors={form.errors} autocomplete="new-password" />
          <p>
            <button class="button" type="submit">
              Set password
            </button>
          </p>
        </form>
      )}
    </Layout>
  );
}
