// The signed-in user's own pages: the account overview (with API tokens), password change,
// two-factor set-up, and the log-out confirmation shown when a log-out form had expired.
import { MIN_PASSWORD_LENGTH } from '../../newsroom/setup.ts';
import type { Account } from '../../newsroom/auth/types.ts';
import type { ApiToken } from '../../newsroom/auth/tokens.ts';
import { formatDateTime } from '../../site/views/format.ts';
import { Layout, type Chrome } from '../../site/views/layout.tsx';
import { Field, Notice, PageHeader } from './form.tsx';

const ROLE_NAMES: Record<Account['role'], string> = {
  contributor: 'Contributor',
  desk_editor: 'Desk editor',
  managing_editor: 'Managing editor',
  admin: 'Administrator',
};

function When({ at, chrome }: { at: string; chrome: Chrome }) {
  return <time datetime={at}>{formatDateTime(at, chrome.locale)}</time>;
}

function LogoutForm({ csrf }: { csrf: string }) {
  return (
    <form method="post" action="/logout">
      <input type="hidden" name="_csrf" value={csrf} />
      <button class="button" type="submit">
        Log out
      </button>
    </form>
  );
}

export interface AccountView {
  account: Account;
  tokens: ApiToken[];
  csrf: string;
  /** A token secret just made: shown this once. */
  newSecret?: { name: string; secret: string };
  notice?: string;
  ok?: boolean;
  errors: Record<string, string>;
  tokenName?: string;
}

export function AccountPage({ chrome, view }: { chrome: Chrome; view: AccountView }) {
  const { account } = view;
  const active = view.tokens.filter((t) => !t.revokedAt);
  const revoked = view.tokens.filter((t) => t.revokedAt);
  return (
    <Layout chrome={chrome} meta={{ title: 'Your account', noindex: true }}>
      <PageHeader title="Your account">
        <p>
          Signed in as <strong>{account.displayName || account.email}</strong>
          {account.displayName ? ` (${account.email})` : ''}, {ROLE_NAMES[account.role].toLowerCase()}.
        </p>
      </PageHeader>
      <Notice text={view.notice} ok={view.ok} />
      {view.newSecret ? (
        <div class="notice ok" role="status">
          <p>
            <strong>Your new API token “{view.newSecret.name}”.</strong> Copy it now: it is shown only this once.
          </p>
          <p>
            <code id="new-token">{view.newSecret.secret}</code>
          </p>
          <p>Send it as the header <code>Authorization: Bearer …</code>.</p>
        </div>
      ) : null}
      <section aria-labelledby="security">
        <h2 id="security">Security</h2>
        <ul>
          <li>
            <a href="/account/password">Change your password</a>
          </li>
          <li>
            <a href="/account/two-factor">Two-factor login</a>: {account.twoFactorEnabled ? 'on' : 'off'}
          </li>
        </ul>
      </section>
      <section aria-labelledby="tokens">
        <h2 id="tokens">API tokens</h2>
        <p>Scripts use an API token to act as you, with your role. Revoke a token you no longer use.</p>
        {active.length === 0 ? (
          <p class="empty">You have no API tokens.</p>
        ) : (
          <ul>
            {active.map((t) => (
              <li key={t.id}>
                <form method="post" action={`/account/tokens/${t.id}/revoke`}>
                  <input type="hidden" name="_csrf" value={view.csrf} />
                  <strong>{t.name}</strong> (made <When at={t.createdAt} chrome={chrome} />
                  {t.lastUsedAt ? (
                    <>
                      , last used <When at={t.lastUsedAt} chrome={chrome} />
                    </>
                  ) : (
                    ', never used'
                  )}
                  ){' '}
                  <button type="submit" aria-label={`Revoke the token ${t.name}`}>
                    Revoke
                  </button>
                </form>
              </li>
            ))}
          </ul>
        )}
        {revoked.length > 0 ? (
          <details>
            <summary>Revoked tokens ({revoked.length})</summary>
            <ul>
              {revoked.map((t) => (
                <li key={t.id}>
                  {t.name}, revoked <When at={t.revokedAt!} chrome={chrome} />
                </li>
              ))}
            </ul>
          </details>
        ) : null}
        <form class="form" method="post" action="/account/tokens">
          <input type="hidden" name="_csrf" value={view.csrf} />
          <Field name="name" label="Name of a new token" value={view.tokenName} errors={view.errors} hint='Where the token is used, e.g. "import script".' maxLength={100} autocomplete="off" />
          <p>
            <button class="button" type="submit">
              Make a token
            </button>
          </p>
        </form>
      </section>
      <section aria-labelledby="logout">
        <h2 id="logout">Log out</h2>
        <LogoutForm csrf={view.csrf} />
      </section>
    </Layout>
  );
}

export interface PasswordView {
  csrf: string;
  email: string;
  errors: Record<string, string>;
  notice?: string;
  done?: boolean;
}

export function PasswordPage({ chrome, view }: { chrome: Chrome; view: PasswordView }) {
  return (
    <Layout chrome={chrome} meta={{ title: 'Change your password', noindex: true }}>
      <PageHeader title={view.done ? 'Your password is changed' : 'Change your password'}>
        <p>{view.done ? 'You stay logged in here; every other session of yours has been logged out.' : 'Changing your password logs you out everywhere else.'}</p>
      </PageHeader>
      <Notice text={view.notice} ok={view.done} />
      {view.done ? (
        <p>
          <a href="/account">Back to your account</a>
        </p>
      ) : (
        <form class="form" method="post" action="/account/password">
          <input type="hidden" name="_csrf" value={view.csrf} />
          <input type="text" name="username" value={view.email} autocomplete="username" hidden readOnly />
          <Field name="current" label="Current password" type="password" errors={view.errors} autocomplete="current-password" maxLength={1024} />
          <Field
            name="password"
            label="New password"
            type="password"
            errors={view.errors}
            autocomplete="new-password"
            minLength={MIN_PASSWORD_LENGTH}
            maxLength={1024}
            hint={`At least ${MIN_PASSWORD_LENGTH} characters. A passphrase of a few words is easy to remember.`}
          />
          <Field name="confirm" label="The new password again" type="password" errors={view.errors} autocomplete="new-password" minLength={MIN_PASSWORD_LENGTH} maxLength={1024} />
          <p>
            <button class="button" type="submit">
              Change password
            </button>
          </p>
        </form>
      )}
    </Layout>
  );
}

export interface TwoFactorView {
  csrf: string;
  enabled: boolean;
  /** Set while enrolling: the secret to type in and the otpauth link to open. */
  enrolling?: { secret: string; uri: string };
  errors: Record<string, string>;
  notice?: string;
  ok?: boolean;
}

export function TwoFactorPage({ chrome, view }: { chrome: Chrome; view: TwoFactorView }) {
  return (
    <Layout chrome={chrome} meta={{ title: 'Two-factor login', noindex: true }}>
      <PageHeader title="Two-factor login">
        <p>
          {view.enabled
            ? 'Two-factor login is on: after your password, you enter a code from your authenticator app.'
            : 'With two-factor login, logging in also needs a six-digit code from an authenticator app on your phone.'}
        </p>
      </PageHeader>
      <Notice text={view.notice} ok={view.ok} />
      {view.enabled ? (
        <form class="form" method="post" action="/account/two-factor">
          <input type="hidden" name="_csrf" value={view.csrf} />
          <input type="hidden" name="action" value="disable" />
          <Field name="password" label="Your password, to turn two-factor login off" type="password" errors={view.errors} autocomplete="current-password" maxLength={1024} />
          <p>
            <button class="button" type="submit">
              Turn off two-factor login
            </button>
          </p>
        </form>
      ) : view.enrolling ? (
        <form class="form" method="post" action="/account/two-factor">
          <input type="hidden" name="_csrf" value={view.csrf} />
          <input type="hidden" name="action" value="confirm" />
          <div>
            <p>
              In your authenticator app, add an account with this key (or, on your phone, <a href={view.enrolling.uri}>open this link</a>):
            </p>
            <p>
              <code id="totp-secret">{view.enrolling.secret.replace(/(.{4})/g, '$1 ').trim()}</code>
            </p>
          </div>
          <Field name="code" label="The six-digit code the app now shows" errors={view.errors} autocomplete="one-time-code" inputMode="numeric" pattern="[0-9 ]{6,7}" maxLength={7} />
          <p>
            <button class="button" type="submit">
              Turn on two-factor login
            </button>
          </p>
        </form>
      ) : (
        <form class="form" method="post" action="/account/two-factor">
          <input type="hidden" name="_csrf" value={view.csrf} />
          <input type="hidden" name="action" value="enroll" />
          <p>
            <button class="button" type="submit">
              Set up two-factor login
            </button>
          </p>
        </form>
      )}
      <p>
        <a href="/account">Back to your account</a>
      </p>
    </Layout>
  );
}

/** Shown when a log-out form had expired: one button that logs out for real. */
export function LogoutPage({ chrome, csrf, notice }: { chrome: Chrome; csrf: string; notice?: string }) {
  return (
    <Layout chrome={chrome} meta={{ title: 'Log out', noindex: true }}>
      <PageHeader title="Log out" />
      <Notice text={notice} />
      <LogoutForm csrf={csrf} />
    </Layout>
  );
}
