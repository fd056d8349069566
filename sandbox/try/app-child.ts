/**
 * The real app (`src/main.ts`, from source through tsx) in its own process, configured only through its
 * environment as in production, its log collected for the page. It runs in a folder of its own so that
 * a `.env` in the project (real settings) is not read.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { request } from 'undici';
import { AppLog } from './app-log.js';

const HEALTHY_WITHIN_MS = 120_000;

export interface AppChild {
  baseUrl: string;
  log: AppLog;
  /** Resolves with the exit code when the app's process ends, however it ends. */
  exited: Promise<number | null>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

export async function startAppChild(options: {
  env: Record<string, string>;
  port: number;
  cwd: string;
  root: string;
}): Promise<AppChild> {
  const log = new AppLog();
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', import.meta.resolve('tsx'), join(options.root, 'src/main.ts')],
    {
      cwd: options.cwd,
      env: { PATH: process.env.PATH ?? '', ...options.env, PORT: String(options.port), LOG_FORMAT: 'json' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (chunk: Buffer) => log.write(chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => log.write(chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const baseUrl = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + HEALTHY_WITHIN_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The app exited with ${child.exitCode} as it started:\n${log.text()}`);
    try {
      const response = await request(`${baseUrl}/healthz`);
      await response.body.text();
      if (response.statusCode === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`The app was not healthy within ${HEALTHY_WITHIN_MS / 1000} s:\n${log.text()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    baseUrl,
    log,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      return exited;
    },
  };
}
