import { type AppLogger, createLogger } from '../../src/logging/logger.js';

export type CapturedLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogLine {
  level: CapturedLevel;
  /** The line exactly as the app wrote it (one JSON object). */
  text: string;
  /** The same, parsed. */
  record: Record<string, unknown>;
}

const ORDER: CapturedLevel[] = ['debug', 'info', 'warn', 'error'];

/**
 * The app's real logger (pino, with its redaction and the scrubbing of Slack's library lines) writing
 * into memory instead of stdout, for tests to search. Give it to startTestApp as `logger`; the app sets
 * its level from LOG_LEVEL, so a test sees what production would print at that level.
 */
export class CaptureLogger {
  readonly lines: LogLine[] = [];
  readonly log: AppLogger;

  constructor() {
    this.log = createLogger({
      level: 'debug',
      format: 'json',
      destination: { write: (chunk: string) => this.push(chunk) },
    });
  }

  /** Lines at or above `level` whose text matches. */
  matching(pattern: RegExp, level: CapturedLevel = 'debug'): LogLine[] {
    return this.lines.filter((line) => ORDER.indexOf(line.level) >= ORDER.indexOf(level) && pattern.test(line.text));
  }

  /** Lines whose fields include all of `fields`. */
  withFields(fields: Record<string, unknown>): LogLine[] {
    return this.lines.filter((line) => Object.entries(fields).every(([key, value]) => line.record[key] === value));
  }

  /** Everything logged, one line per entry, for searching. */
  text(): string {
    return this.lines.map((line) => line.text).join('\n');
  }

  clear(): void {
    this.lines.length = 0;
  }

  private push(chunk: string): void {
    for (const text of chunk.split('\n')) {
      if (text.trim() === '') continue;
      const record = JSON.parse(text) as Record<string, unknown>;
      const level = ORDER.includes(record.level as CapturedLevel) ? (record.level as CapturedLevel) : 'error';
      this.lines.push({ level, text, record });
    }
  }
}
