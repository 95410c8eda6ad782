import type { Command } from 'commander';
import { createInterface } from 'node:readline';
import { findPersonBySlug } from '../newsroom/people/repository.ts';
import { issueSetupToken } from '../newsroom/setup.ts';
import { setPassword } from '../newsroom/auth/passwords.ts';
import { createUser, findUserByEmail, listUsers, ROLES } from '../newsroom/users.ts';
import { withDatabase } from './context.ts';
import { CliError } from './errors.ts';

export function registerUser(cli: Command): void {
  const user = cli.command('user').description('manage newsroom login accounts');

  user
    .command('add <email>')
    .description('create an account and print a one-time link where its owner sets a password')
    .option('-r, --role <role>', `one of ${ROLES.join(', ')}`, 'contributor')
    .option('--person <slug>', 'the staff profile (person slug) this account writes as')
    .action(async (email: string, options: { role: string; person?: string }) =>
      withDatabase(async (db, config) => {
        const link = await db.kysely.transaction().execute(async (trx) => {
          let personId: number | null = null;
          if (options.person) {
            const person = await findPersonBySlug(trx, options.person);
            if (!person) throw new CliError(`no person has the slug "${options.person}"`);
            personId = person.id;
          }
          const created = await createUser(trx, { email, role: options.role, personId });
          return `${config.siteUrl}/setup/${await issueSetupToken(trx, created.id)}`;
        });
        console.log(`Created ${email.trim().toLowerCase()} (${options.role}). Password set-up link, valid for 72 hours:\n${link}`);
      }),
    );

  user
    .command('list')
    .description('list accounts with their roles')
    .action(async () =>
      withDatabase(async (db) => {
        const users = await listUsers(db.kysely);
        if (users.length === 0) return console.log('No accounts yet.');
        const width = Math.max(5, ...users.map((u) => u.email.length));
        console.log(`${'EMAIL'.padEnd(width)}  ${'ROLE'.padEnd(15)}  PASSWORD`);
        for (const u of users) console.log(`${u.email.padEnd(width)}  ${u.role.padEnd(15)}  ${u.hasPassword ? 'set' : 'not set'}`);
      }),
    );

  user
    .command('passwd <email>')
    .description('set a password (typed twice, or one line on standard input; ends its sessions and lifts a lock-out), or print a reset link with --link')
    .option('--link', 'print a one-time link where the user sets a new password instead')
    .action(async (email: string, options: { link?: boolean }) =>
      withDatabase(async (db, config) => {
        const target = await findUserByEmail(db.kysely, email);
        if (!target) throw new CliError(`no account has the email ${email}`);
        if (options.link) {
          const token = await issueSetupToken(db.kysely, target.id);
          return console.log(`Password reset link for ${target.email}, valid for 72 hours:\n${config.siteUrl}/setup/${token}`);
        }
        const [password, confirm] = await readPassword();
        // Also lifts a lock-out and ends the account's sessions.
        await setPassword(db.kysely, target.id, password, confirm);
        console.log(`Password set for ${target.email}.`);
      }),
    );
}

/** Two prompts without echo on a terminal; otherwise the first line of standard input, taken twice. */
async function readPassword(): Promise<[string, string]> {
  if (!process.stdin.isTTY) {
    const rl = createInterface({ input: process.stdin });
    for await (const line of rl) {
      rl.close();
      return [line, line];
    }
    throw new CliError('no password on standard input');
  }
  const first = await promptHidden('New password: ');
  const second = await promptHidden('Again: ');
  return [first, second];
}

function promptHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    const write = (rl as unknown as { _writeToOutput(s: string): void })._writeToOutput;
    (rl as unknown as { _writeToOutput(s: string): void })._writeToOutput = (s: string) => {
      if (s.includes(question)) write.call(rl, s);
    };
    rl.question(question, (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    });
  });
}
