import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import type { CliCommand } from '../../src/cli/cli-support.js';
import { nodeArgsToRun } from './app-build.js';

/** The admin commands (`npm run <name> -- …`), each `src/cli/<name>.ts`. */
export type CliName = 'identities' | 'categories' | 'assessments' | 'questionnaires' | 'digest' | 'scorecards';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** How long it took, in milliseconds. */
  ms: number;
}

export interface CliOptions {
  /** The command's whole environment, as a deployer gives it (PATH is added); nothing else is inherited. */
  env?: Record<string, string>;
  /** What it reads on standard input; empty, and closed, when left out. */
  stdin?: string;
}

const commands = new Map<CliName, Promise<CliCommand>>();

function commandOf(cli: CliName): Promise<CliCommand> {
  let command = commands.get(cli);
  if (!command) {
    command = import(`../../src/cli/${cli}.js`).then((module: { run: CliCommand }) => module.run);
    commands.set(cli, command);
  }
  return command;
}

/**
 * Runs an admin command in this process: the command's own `run`, with the environment, standard input and
 * output a deployer's shell would give it (piped: no terminal width, no colours). Starting a process for
 * each (node, tsx, Prisma's client, the schema engine) costs about a second of CPU; this costs
 * milliseconds. `runCliProcess` runs the same command in its own process, for what only a process shows.
 */
export async function runCli(cli: CliName, args: string[], options: CliOptions = {}): Promise<CliResult> {
  const started = Date.now();
  const command = await commandOf(cli);
  let stdout = '';
  let stderr = '';
  const code = await command(args, {
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdout: {
      write: (text: string) => {
        stdout += text;
      },
    },
    stderr: {
      write: (text: string) => {
        stderr += text;
      },
    },
    stdin: Readable.from([Buffer.from(options.stdin ?? '')]),
  });
  return { code, stdout, stderr, ms: Date.now() - started };
}

/**
 * Runs an admin command as a deployer does: `src/cli/<name>.ts` in its own process (compiled once for
 * the run, see app-build.ts),
 * with only the environment given, and resolves with its exit code and output: for what the process
 * boundary shows (exit codes, standard input, what goes to stdout and to stderr).
 */
export function runCliProcess(cli: CliName, args: string[], options: CliOptions = {}): Promise<CliResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgsToRun(`src/cli/${cli}.ts`), ...args], {
      env: { PATH: process.env.PATH ?? '', ...options.env },
      cwd: process.cwd(),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', reject);
    child.stdin.end(options.stdin ?? '');
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr, ms: Date.now() - started }));
  });
}
