import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadDatabaseSettings } from '../config/config.js';
import { readEnvFile } from '../config/env-file.js';
import { loadLoggingSettings } from '../config/logging-settings.js';
import { applyMigrations } from '../db/migrate.js';
import { openDatabase } from '../db/prisma-client.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { type AppLogger, createLogger } from '../logging/logger.js';
import { safeErrorMessage } from '../logging/redaction.js';

/**
 * What an admin command reads and writes: the process's own when a person runs it (`runAsProcess`), or
 * what a test gives it, so the tests run the commands in their own process instead of starting one each.
 */
export interface CliIo {
  /** The settings: process.env with `.env` read into it, for a person. */
  env: NodeJS.ProcessEnv;
  stdout: { write(text: string): unknown; columns?: number | undefined };
  stderr: { write(text: string): unknown; isTTY?: boolean | undefined };
  stdin: AsyncIterable<Buffer | string>;
}

/** An admin command: its arguments (after the command's name) and its io in, its exit code out. */
export type CliCommand = (args: string[], io: CliIo) => Promise<number>;

/** What a command's body uses instead of the process's globals. */
export interface Cli {
  env: NodeJS.ProcessEnv;
  /** A line on stdout: the command's own output (tables, reports) for people and pipes. */
  out(text: string): void;
  /** A line on stderr: what went wrong. */
  err(text: string): void;
  /** The terminal's width, when stdout is one. */
  columns: number | undefined;
  readStdin(): Promise<string>;
  /**
   * The CLIs' log: the app's JSON lines (LOG_LEVEL, LOG_FORMAT), on stderr so that stdout stays the
   * command's own output.
   */
  log(): AppLogger;
}

/** The CLIs' log on a stderr: the process's own (file descriptor 2, written synchronously) or a test's. */
export function cliLogger(env: NodeJS.ProcessEnv, stderr: CliIo['stderr']): AppLogger {
  const settings = loadLoggingSettings(env, stderr.isTTY === true);
  if (stderr === process.stderr) return createLogger({ ...settings, fd: 2 });
  return createLogger({ ...settings, destination: { write: (line: string) => stderr.write(line) } });
}

function cliOf(io: CliIo): Cli {
  let logger: AppLogger | undefined;
  return {
    env: io.env,
    out: (text) => io.stdout.write(`${text}\n`),
    err: (text) => io.stderr.write(`${text}\n`),
    columns: io.stdout.columns,
    async readStdin() {
      const chunks: Buffer[] = [];
      for await (const chunk of io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
      return Buffer.concat(chunks).toString('utf8').trim();
    },
    log: () => {
      logger ??= cliLogger(io.env, io.stderr);
      return logger;
    },
  };
}

/**
 * Runs `command` as the process, with its arguments, `.env` and standard streams, when `moduleUrl` (the
 * command's `import.meta.url`) is the script node was started with; nothing when a test imports it.
 */
export async function runAsProcess(moduleUrl: string, command: CliCommand): Promise<void> {
  const script = process.argv[1];
  if (!script || realPath(script) !== realPath(fileURLToPath(moduleUrl))) return;
  const io: CliIo = { env: readEnvFile(), stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };
  process.exitCode = await command(process.argv.slice(2), io);
}

function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
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
export async function openCliDatabase(cli: Cli): Promise<{ prisma: PrismaClient; secretsKey: Buffer | undefined }> {
  const { databaseUrl, secretsKey } = loadDatabaseSettings(cli.env);
  const { applied } = await applyMigrations({ databaseUrl });
  if (applied.length > 0)
    cli.log().info({ event: 'migrations', applied }, `Applied database migrations: ${applied.join(', ')}`);
  return { prisma: await openDatabase(databaseUrl), secretsKey };
}

/**
 * An admin command named `name` (identities, categories…) whose body returns its exit code: every failure
 * becomes one readable line and an exit code, and each run leaves a log line saying how it ended.
 */
export function cliCommand(
  name: string,
  usage: string,
  body: (args: string[], cli: Cli) => Promise<number>,
): CliCommand {
  return async (args, io) => {
    const cli = cliOf(io);
    // Which admin command runs (e.g. identities import): never its other arguments, which may hold emails.
    const action = args[0] && args[0] !== 'help' && /^[a-z][a-z-]{0,30}$/.test(args[0]) ? args[0] : undefined;
    const started = performance.now();
    let code: number;
    let failure: unknown;
    try {
      code = await body(args, cli);
    } catch (error) {
      failure = error;
      if (error instanceof UsageError) {
        cli.err(`${error.message}\n\n${usage}`);
        code = 2;
      } else if (error instanceof ConfigError) {
        cli.err(error.message);
        code = 1;
      } else {
        // A database error's reason, not the call it quotes (the emails and names the command was given).
        cli.err(`Error: ${safeErrorMessage(error)}`);
        code = 1;
      }
    }
    // Usage mistakes and --help are not admin actions; everything else leaves one line saying how it ended.
    if (action === undefined || failure instanceof UsageError) return code;
    const fields = {
      event: 'admin_command',
      cli: name,
      action,
      exitCode: code,
      durationMs: Math.round(performance.now() - started),
      ...(failure instanceof Error ? { error: safeErrorMessage(failure) } : {}),
    };
    const what = `${name} ${action}`;
    if (code === 0) cli.log().info(fields, `Admin command ${what} done`);
    else cli.log().warn(fields, `Admin command ${what} ended with exit code ${code}`);
    return code;
  };
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
