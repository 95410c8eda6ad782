// `dateline token`: API tokens for scripts, made, listed and revoked by the operator.
import type { Command } from 'commander';
import { createApiToken, listAllApiTokens, listApiTokens, revokeApiToken, type ApiToken } from '../newsroom/auth/tokens.ts';
import { findUserByEmail } from '../newsroom/users.ts';
import { withDatabase } from './context.ts';
import { CliError } from './errors.ts';

const state = (t: ApiToken) => (t.revokedAt ? `revoked ${t.revokedAt}` : t.lastUsedAt ? `used ${t.lastUsedAt}` : 'never used');

export function registerToken(cli: Command): void {
  const token = cli.command('token').description('API tokens for scripts (sent as "Authorization: Bearer …")');

  token
    .command('create <email>')
    .description("make a token that acts as the account; prints the secret once (only its hash is kept)")
    .requiredOption('-n, --name <name>', 'what the token is for, e.g. "nightly import"')
    .action(async (email: string, options: { name: string }) =>
      withDatabase(async (db) => {
        const user = await findUserByEmail(db.kysely, email);
        if (!user) throw new CliError(`no account has the email ${email}`);
        const { token: made, secret } = await db.kysely.transaction().execute((trx) => createApiToken(trx, user.id, options.name));
        console.log(`Token ${made.id} "${made.name}" for ${user.email} (${user.role}). Copy it now; it is not shown again:\n${secret}`);
      }),
    );

  token
    .command('list [email]')
    .description("list tokens (an account's, or everyone's) without their secrets")
    .action(async (email: string | undefined) =>
      withDatabase(async (db) => {
        let rows: Array<ApiToken & { email: string }>;
        if (email) {
          const user = await findUserByEmail(db.kysely, email);
          if (!user) throw new CliError(`no account has the email ${email}`);
          rows = (await listApiTokens(db.kysely, user.id)).map((t) => ({ ...t, email: user.email }));
        } else rows = await listAllApiTokens(db.kysely);
        if (rows.length === 0) return console.log('No API tokens.');
        const emailWidth = Math.max(5, ...rows.map((t) => t.email.length));
        const nameWidth = Math.max(4, ...rows.map((t) => t.name.length));
        console.log(`${'ID'.padStart(5)}  ${'EMAIL'.padEnd(emailWidth)}  ${'NAME'.padEnd(nameWidth)}  ${'CREATED'.padEnd(24)}  STATE`);
        for (const t of rows) console.log(`${String(t.id).padStart(5)}  ${t.email.padEnd(emailWidth)}  ${t.name.padEnd(nameWidth)}  ${t.createdAt.padEnd(24)}  ${state(t)}`);
      }),
    );

  token
    .command('revoke <id>')
    .description('revoke a token by its id (see "token list"); it stops working at once')
    .action(async (id: string) =>
      withDatabase(async (db) => {
        if (!/^\d{1,12}$/.test(id)) throw new CliError(`"${id}" is not a token id (a number from "dateline token list")`);
        const revoked = await db.kysely.transaction().execute((trx) => revokeApiToken(trx, 'operator', Number(id)));
        console.log(`Revoked token ${revoked.id} "${revoked.name}".`);
      }),
    );
}
