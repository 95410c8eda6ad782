// Login accounts for administrators: who has which role and profile, whether a password and
// two-factor login are set, locked or disabled accounts; invitations and the account actions.
// A set-up link is shown once, on the page that answers the invitation or reset.
import type { AccountSummary } from '../../newsroom/admin/users.ts';
import type { Person } from '../../newsroom/people/types.ts';
import type { Role } from '../../newsroom/users.ts';
import { AdminLayout, formatWhen, type AdminChrome } from './layout.tsx';
import { Csrf, FormNotice, SelectField, TextField, type FieldErrors, type Notice } from './settings.tsx';

export const ROLE_LABELS: Record<Role, string> = {
  contributor: 'Contributor',
  desk_editor: 'Desk editor',
  managing_editor: 'Managing editor',
  admin: 'Administrator',
};

export interface InviteForm {
  email: string;
  role: string;
  personId: string;
}

export interface UsersView {
  accounts: AccountSummary[];
  people: Person[];
  invite: InviteForm;
  errors: FieldErrors;
  notice?: Notice;
  /** A one-time set-up link just made, shown once. */
  link?: { email: string; url: string; kind: 'invite' | 'reset' };
}

const FIELD_IDS = { email: 'invite-email', role: 'invite-role', personId: 'invite-person' };

function SetupLinkNotice({ link }: { link: NonNullable<UsersView['link']> }) {
  const subject = link.kind === 'invite' ? 'Your newsroom account' : 'Set a new password for your newsroom account';
  const body = `Set your password here (the link works once, for 72 hours):\n\n${link.url}\n`;
  return (
    <div class="notice ok" role="status">
      <p>
        {link.kind === 'invite' ? `Invited ${link.email}.` : `${link.email}’s password no longer works and every session of theirs has ended.`} Send
        them this set-up link; it works once, for 72 hours, and is not shown again.
      </p>
      <div class="field link-box">
        <label for="setup-link">Set-up link for {link.email}</label>
        <input id="setup-link" type="text" readonly value={link.url} spellcheck={false} />
      </div>
      <p>
        <a href={`mailto:${link.email}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}`}>Email the link to {link.email}</a>
      </p>
    </div>
  );
}

function ActionButton({ chrome, account, action, label, secondary = true }: { chrome: AdminChrome; account: AccountSummary; action: string; label: string; secondary?: boolean }) {
  return (
    <form method="post" action={`/admin/users/${account.id}/${action}`}>
      <Csrf chrome={chrome} />
      <button class={secondary ? 'button secondary small' : 'button small'} type="submit">
        {label}
        <span class="visually-hidden"> for {account.email}</span>
      </button>
    </form>
  );
}

function AccountState({ account, chrome }: { account: AccountSummary; chrome: AdminChrome }) {
  const facts: string[] = [];
  if (account.disabled) facts.push('Disabled');
  else if (account.lockedUntil) facts.push(`Locked until ${formatWhen(account.lockedUntil, chrome)}`);
  else facts.push('Active');
  facts.push(account.hasPassword ? 'Password set' : 'No password yet');
  facts.push(account.twoFactorEnabled ? 'Two-factor on' : 'Two-factor off');
  return <p class="meta">{facts.join(' · ')}</p>;
}

export function UsersPage({ chrome, view }: { chrome: AdminChrome; view: UsersView }) {
  const { invite, errors } = view;
  const people = new Map(view.people.map((p) => [p.id, p]));
  return (
    <AdminLayout chrome={chrome} title="Users" section="users">
      <h1>Users</h1>
      {view.link ? <SetupLinkNotice link={view.link} /> : null}
      <FormNotice notice={view.notice} errors={errors} fieldIds={FIELD_IDS} />
      <div class="grid users-layout">
        <section class="panel" aria-labelledby="accounts-title">
          <h2 id="accounts-title">
            Accounts <span class="count">{view.accounts.length}</span>
          </h2>
          <ul class="list accounts">
            {view.accounts.map((a) => {
              const person = a.personId === null ? undefined : people.get(a.personId);
              const self = a.id === chrome.actor.userId;
              return (
                <li key={a.id} id={`user-${a.id}`}>
                  <p class="account-name">
                    <strong>{a.email}</strong> {self ? <span class="meta">(you)</span> : null}
                  </p>
                  <p class="meta">
                    {ROLE_LABELS[a.role]}
                    {person ? ` · writes as ${person.name}` : ' · no staff profile'}
                  </p>
                  <AccountState account={a} chrome={chrome} />
                  <div class="row-actions">
                    <ActionButton chrome={chrome} account={a} action="reset-password" label={a.hasPassword ? 'Reset password' : 'New set-up link'} />
                    {a.lockedUntil ? <ActionButton chrome={chrome} account={a} action="unlock" label="Unlock" secondary={false} /> : null}
                    {a.twoFactorEnabled ? <ActionButton chrome={chrome} account={a} action="reset-two-factor" label="Reset two-factor" /> : null}
                    {a.disabled ? (
                      <ActionButton chrome={chrome} account={a} action="enable" label="Enable" secondary={false} />
                    ) : self ? null : (
                      <ActionButton chrome={chrome} account={a} action="disable" label="Disable" />
                    )}
                  </div>
                </li>
              );
            })}
          </ul>
        </section>
        <section class="panel" aria-labelledby="invite-title">
          <h2 id="invite-title">Invite someone</h2>
          <p class="hint">The account gets no password: you receive a one-time link to send, where they choose one.</p>
          <form method="post" action="/admin/users" novalidate>
            <Csrf chrome={chrome} />
            <TextField id="invite-email" name="email" label="Email" type="email" value={invite.email} error={errors.email} required maxLength={254} autocomplete="off" spellcheck={false} />
            <SelectField
              id="invite-role"
              name="role"
              label="Role"
              value={invite.role}
              error={errors.role}
              required
              options={Object.entries(ROLE_LABELS)}
              hint="Contributors write; desk editors approve and publish for their desks; managing editors for every desk and the front page; administrators also manage people, desks, users and settings."
            />
            <SelectField
              id="invite-person"
              name="personId"
              label="Staff profile"
              value={invite.personId}
              error={errors.personId}
              empty="No profile"
              options={view.people.filter((p) => p.kind === 'person').map((p) => [String(p.id), p.name])}
              hint="The profile they write as; desk editors edit the desks of their profile."
            />
            <button class="button" type="submit">
              Invite
            </button>
          </form>
        </section>
      </div>
    </AdminLayout>
  );
}
