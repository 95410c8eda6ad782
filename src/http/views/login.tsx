// The login page: email and password, then (for two-factor accounts) the code step.
import { Layout, type Chrome } from '../../site/views/layout.tsx';
import { Field, Notice, PageHeader } from './form.tsx';

export interface LoginForm {
  csrf: string;
  email: string;
  /** The local path to go to after login, kept through the form. */
  next: string | undefined;
  errors: Record<string, string>;
  notice?: string;
}

const withNext = (path: string, next: string | undefined) => (next ? `${path}?next=${encodeURIComponent(next)}` : path);

export function LoginPage({ chrome, form }: { chrome: Chrome; form: LoginForm }) {
  return (
    <Layout chrome={chrome} meta={{ title: 'Log in', noindex: true }}>
      <PageHeader title="Log in to the newsroom" />
      <Notice text={form.notice} />
      <form class="form" method="post" action={withNext('/login', form.next)}>
        <input type="hidden" name="_csrf" value={form.csrf} />
        {form.next ? <input type="hidden" name="next" value={form.next} /> : null}
        <Field name="email" label="Email address" type="email" value={form.email} errors={form.errors} autocomplete="username" inputMode="email" maxLength={254} />
        <Field name="password" label="Password" type="password" errors={form.errors} autocomplete="current-password" maxLength={1024} />
        <p>
          <button class="button" type="submit">
            Log in
          </button>
        </p>
        <p class="hint">Forgot your password? Ask an administrator for a reset link.</p>
      </form>
    </Layout>
  );
}

export function SecondFactorPage({ chrome, form }: { chrome: Chrome; form: Omit<LoginForm, 'email'> }) {
  return (
    <Layout chrome={chrome} meta={{ title: 'Two-factor code', noindex: true }}>
      <PageHeader title="Enter your code">
        <p>Your account uses two-factor login. Open your authenticator app and enter the six-digit code it shows for this site.</p>
      </PageHeader>
      <Notice text={form.notice} />
      <form class="form" method="post" action={withNext('/login/two-factor', form.next)}>
        <input type="hidden" name="_csrf" value={form.csrf} />
        {form.next ? <input type="hidden" name="next" value={form.next} /> : null}
        <Field name="code" label="Six-digit code" errors={form.errors} autocomplete="one-time-code" inputMode="numeric" pattern="[0-9 ]{6,7}" maxLength={7} />
        <p>
          <button class="button" type="submit">
            Continue
          </button>
        </p>
        <p class="hint">
          Lost your device? Ask an administrator to turn two-factor login off for your account. <a href="/login">Start again</a>
        </p>
      </form>
    </Layout>
  );
}
