import { createRequire } from 'node:module';
import { type DestinationStream, type Logger, pino } from 'pino';
import type { PrettyOptions, PrettyStream } from 'pino-pretty';
import type { LoggingSettings } from '../config/logging-settings.js';
import { REDACT_PATHS, REDACTED, safeError } from './redaction.js';

/** The app's logger: pino's, so call sites give fields first and the message second. */
export type AppLogger = Logger;

export interface LoggerOptions extends LoggingSettings {
  /** Where lines go; stdout unless given (the CLIs log to stderr, tests to memory). */
  destination?: DestinationStream;
  /** File descriptor for the default destination: 1 (stdout) or 2 (stderr). */
  fd?: 1 | 2;
}

/**
 * One JSON object a line (time, level, msg, then fields), or pino-pretty's coloured lines for people.
 * Writes are pino's default: synchronous to the file descriptor, a few microseconds a line, and
 * nothing is lost when the process exits.
 */
export function createLogger(options: LoggerOptions): AppLogger {
  const fd = options.fd ?? 1;
  const destination =
    options.destination ??
    (options.format === 'pretty'
      ? loadPretty()({
          destination: fd,
          sync: true,
          colorize: (fd === 2 ? process.stderr : process.stdout).isTTY === true,
          translateTime: 'SYS:HH:MM:ss.l',
          ignore: 'pid,hostname',
        })
      : pino.destination({ fd, sync: true }));
  return pino(
    {
      level: options.level,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      serializers: { err: safeError, error: safeError },
    },
    destination,
  );
}

/** pino-pretty is loaded only when asked for: a JSON deployment does not pay for its start-up. */
function loadPretty(): (options: PrettyOptions) => PrettyStream {
  return createRequire(import.meta.url)('pino-pretty') as (options: PrettyOptions) => PrettyStream;
}

/** Says nothing: for code paths given no logger (unit tests of one module). */
export function silentLogger(): AppLogger {
  return pino({ level: 'silent' });
}
