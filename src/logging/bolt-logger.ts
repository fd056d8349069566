import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import { scrubLibraryLine } from './library-lines.js';
import type { AppLogger } from './logger.js';
import { safeErrorMessage } from './redaction.js';

type Level = 'debug' | 'info' | 'warn' | 'error';

/**
 * The app's pino logger in the shape Bolt, the Web API client, Socket Mode and the OAuth installer
 * take (`Logger` of @slack/logger), so their lines are JSON lines like ours. Lines are checked against
 * the level before any work is done. Called the pino way, with fields first (`logger.info({ assessmentId },
 * 'message')`, or `logger.warn(...logArgs(what, error))` from src/flex/errors.ts), the fields are kept and an
 * `err` among them goes through safeError; the libraries' text lines are scrubbed of request and answer
 * content (see library-lines.ts), an error among them is logged as `err` (a second one by its safe message),
 * and objects other than errors are never printed.
 */
export class PinoBoltLogger implements BoltLogger {
  constructor(private readonly log: AppLogger) {}

  debug(...msg: unknown[]): void {
    this.write('debug', msg);
  }
  info(...msg: unknown[]): void {
    this.write('info', msg);
  }
  warn(...msg: unknown[]): void {
    this.write('warn', msg);
  }
  error(...msg: unknown[]): void {
    this.write('error', msg);
  }
  setLevel(level: LogLevel): void {
    this.log.level = level;
  }
  getLevel(): LogLevel {
    const level = this.log.level;
    return level === 'debug' || level === 'trace'
      ? LogLevel.DEBUG
      : level === 'info'
        ? LogLevel.INFO
        : level === 'warn'
          ? LogLevel.WARN
          : LogLevel.ERROR;
  }
  /**
   * Ignored: every Web API client calls it on the logger it is given (`web-api:WebClient:<n>`), so with
   * one shared logger the last client made would name every line.
   */
  setName(_name: string): void {}

  /** The pino logger under this one, for code that wants it directly. */
  get pino(): AppLogger {
    return this.log;
  }

  private write(level: Level, msg: unknown[]): void {
    if (!this.log.isLevelEnabled(level)) return;
    const [first, ...rest] = msg;
    if (isFields(first)) {
      // Our own structured call: fields, then the message.
      this.log[level](first, typeof rest[0] === 'string' ? rest[0] : '');
      return;
    }
    const words: string[] = [];
    let err: unknown;
    for (const part of msg) {
      if (typeof part === 'string') words.push(part);
      else if (part instanceof Error) {
        if (err === undefined) err = part;
        else words.push(safeErrorMessage(part));
      } else if (typeof part === 'number' || typeof part === 'boolean' || typeof part === 'bigint') {
        words.push(String(part));
      } else if (part !== undefined && part !== null) words.push('[object not logged]');
    }
    const message = scrubLibraryLine(words.join(' '));
    if (err === undefined) this.log[level](message);
    else this.log[level]({ err }, message || safeErrorMessage(err));
  }
}

function isFields(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || value instanceof Error || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
