// The `dateline` command: parses arguments and hands each subcommand its options.
// Failures print one line to stderr and exit non-zero; never a stack trace.
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config.ts';
import { NewsroomError } from '../newsroom/errors.ts';
import { MigrationError } from '../db/migrate.ts';
import { CliError } from './errors.ts';
import { registerServe } from './serve.ts';
import { registerMigrate } from './migrate.ts';
import { registerUser } from './user.ts';
import { registerImport } from './import.ts';
import { registerMessages } from './messages.ts';
import { registerToken } from './token.ts';
import { registerBackup } from './backup.ts';
import { registerExport } from './export.ts';
import { registerWebhook } from './webhook.ts';

function program(): Command {
  const cli = new Command('dateline')
    .description('Dateline: the newsroom publishing platform')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  registerServe(cli);
  registerMigrate(cli);
  registerUser(cli);
  registerImport(cli);
  registerMessages(cli);
  registerToken(cli);
  registerBackup(cli);
  registerExport(cli);
  registerWebhook(cli);
  return cli;
}

export async function main(argv: string[]): Promise<void> {
  // `dateline … | head` closes the pipe early: that is the reader's choice, not a failure.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  try {
    await program().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    const known = error instanceof CliError || error instanceof ConfigError || error instanceof NewsroomError || error instanceof MigrationError;
    const message = known ? (error as Error).message : `unexpected failure: ${error instanceof Error ? error.message : String(error)}`;
    process.stderr.write(`dateline: ${message}\n`);
    if (!known && process.env.DEBUG) console.error(error);
    process.exitCode = 1;
  }
}
