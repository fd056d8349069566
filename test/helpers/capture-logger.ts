import { inspect } from 'node:util';
import { type Logger, LogLevel } from '@slack/bolt';

export interface LogLine {
  level: LogLevel;
  /** Every argument rendered as the console would, nested objects and error causes included. */
  text: string;
}

const ORDER: LogLevel[] = [LogLevel.DEBUG, LogLevel.INFO, LogLevel.WARN, LogLevel.ERROR];

/**
 * A Bolt Logger that keeps every line it is given, for tests to search; it honours setLevel like
 * Bolt's ConsoleLogger, so a test sees what production would print at that level.
 */
export class CaptureLogger implements Logger {
  readonly lines: LogLine[] = [];
  private level: LogLevel = LogLevel.DEBUG;

  debug(...msg: unknown[]): void {
    this.write(LogLevel.DEBUG, msg);
  }
  info(...msg: unknown[]): void {
    this.write(LogLevel.INFO, msg);
  }
  warn(...msg: unknown[]): void {
    this.write(LogLevel.WARN, msg);
  }
  error(...msg: unknown[]): void {
    this.write(LogLevel.ERROR, msg);
  }
  setLevel(level: LogLevel): void {
    this.level = level;
  }
  getLevel(): LogLevel {
    return this.level;
  }
  setName(_name: string): void {}

  /** Lines at or above `level` whose text matches. */
  matching(pattern: RegExp, level: LogLevel = LogLevel.DEBUG): LogLine[] {
    return this.lines.filter((line) => ORDER.indexOf(line.level) >= ORDER.indexOf(level) && pattern.test(line.text));
  }

  /** Everything logged, one line per call, for searching. */
  text(): string {
    return this.lines.map((line) => `[${line.level}] ${line.text}`).join('\n');
  }

  clear(): void {
    this.lines.length = 0;
  }

  private write(level: LogLevel, msg: unknown[]): void {
    if (ORDER.indexOf(level) < ORDER.indexOf(this.level)) return;
    const text = msg
      .map((part) =>
        typeof part === 'string' ? part : inspect(part, { depth: 8, breakLength: Number.POSITIVE_INFINITY }),
      )
      .join(' ');
    this.lines.push({ level, text });
  }
}
