import { basename, extname } from 'node:path';
import { ConfigError, loadDatabaseSettings } from '../config/config.js';
import { readEnvFile } from '../config/env-file.js';
import { loadLoggingSettings } from '../config/logging-settings.js';
import { applyMigrations } from '../db/migrate.js';
import { openDatabase } from '../db/prisma-client.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { type AppLogger, createLogger } from '../logging/logger.js';

let logger: AppLogger | undefined;

/**
 * The CLIs' log: the app's JSON lines (LOG_LEVEL, LOG_FORMAT), on stderr so that stdout stays the
 * command's own output (tables, reports) for people and pipes.
 */
export function cliLog(): AppLogger {
  logger ??= createLogger({ ...loadLoggingSettings(readEnvFile(), process.stderr.isTTY === true), fd: 2 });
  return logger;
}

/** Which admin command runs (e.g. identities import): never its other arguments, which may hold emails. */
function commandName(): { cli: string; action: string | undefined } {
  const script = process.argv[1] ?? 'cli';
  const action = process.argv[2];
  return {
    cli: basename(script, extname(script)),
    action: action && action !== 'help' && /^[a-z][a-z-]{0,30}$/.test(action) ? action : undefined,
  };
}

/** A mistake in how the command was called: usage is printed, exit code 2. */
export class UsageError extends Error {
  readonly code = 'usage';
}

/**
 * `--workspace`: a Slack team id (T…) or the org id (E…) of an org-wide install, the key a workspace's
 * identities and categories are kept under; left out, the single workspace of SLACK_BOT_TOKEN.
 */
export function workspaceOption(value: string | undefined): string | undefined {
  const id = value?.trim().toUpperCase();
  if (!id) return undefined;
  if (!/^[TE][A-Z0-9]{2,}$/.test(id)) {
    throw new UsageError(
      '--workspace must be a Slack team id (T0123ABCD) or, for an org-wide install, an org id (E…).',
    );
  }
  return id;
}

/** Opens the database named by the settings, bringing it up to date first. */
export async function openCliDatabase(): Promise<{ prisma: PrismaClient; secretsKey: Buffer | undefined }> {
  const { databaseUrl, secretsKey } = loadDatabaseSettings(readEnvFile());
  const { applied } = await applyMigrations({ databaseUrl });
  if (applied.length > 0)
    cliLog().info({ event: 'migrations', applied }, `Applied database migrations: ${applied.join(', ')}`);
  return { prisma: await openDatabase(databaseUrl), secretsKey };
}

/** Runs a command and turns every failure into one readable line and an exit code. */
export async function runCli(usage: string, main: () => Promise<number>): Promise<void> {
  const command = commandName();
  const started = performance.now();
  let code: number;
  let failure: unknown;
  try {
    code = await main();
  } catch (error) {
    failure = error;
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${usage}`);
      code = 2;
    } else if (error instanceof ConfigError) {
      console.error(error.message);
      code = 1;
    } else {
      console.error(`Error: ${error instanceof Error ? error.message : String(error)}`);
      code = 1;
    }
  }
  process.exitCode = code;
  // Usage mistakes and --help are not admin actions; everything else leaves one line saying how it ended.
  if (command.action === undefined || failure instanceof UsageError) return;
  const fields = {
    event: 'admin_command',
    ...command,
    exitCode: code,
    durationMs: Math.round(performance.now() - started),
    ...(failure instanceof Error ? { error: failure.message } : {}),
  };
  const what = `${command.cli} ${command.action}`;
  if (code === 0) cliLog().info(fields, `Admin command ${what} done`);
  else cliLog().warn(fields, `Admin command ${what} ended with exit code ${code}`);
}

/**
 * Text from the database made safe for a terminal: control characters (ESC sequences that retitle or
 * recolour the terminal, BEL, line breaks that would forge table rows) are shown as escapes, as
 * JSON writes them, and a backslash as two.
 */
export function printable(text: string): string {
  return text.replace(/[\\\p{Cc}\p{Zl}\p{Zp}]/gu, (char) =>
    char === '\\' ? '\\\\' : `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Plain aligned columns, for people and for `grep`; every cell is made printable. */
export function table(headers: string[], cells: string[][]): string {
  const rows = cells.map((row) => row.map(printable));
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}
