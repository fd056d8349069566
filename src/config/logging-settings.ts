import { z } from 'zod';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface LoggingSettings {
  level: LogLevel;
  /** json: one JSON object a line, for log collectors; pretty: coloured lines for people. */
  format: LogFormat;
}

/** LOG_LEVEL and LOG_FORMAT, as the app and every CLI read them. */
export const loggingEnvShape = {
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  LOG_FORMAT: z
    .enum([...LOG_FORMATS, ''], { error: `must be one of ${LOG_FORMATS.join(', ')} (or unset)` })
    .optional()
    .transform((value) => (value ? value : undefined)),
};

/**
 * Unset LOG_FORMAT means pretty when the log goes to a terminal (a person reads it) and JSON otherwise
 * (a collector reads it).
 */
export function loggingFrom(
  e: { LOG_LEVEL: LogLevel; LOG_FORMAT: LogFormat | undefined },
  isTty: boolean = process.stdout.isTTY === true,
): LoggingSettings {
  return { level: e.LOG_LEVEL, format: e.LOG_FORMAT ?? (isTty ? 'pretty' : 'json') };
}

/**
 * For the CLIs, which must log even when the rest of the settings are wrong: a bad value falls back to
 * info / the terminal's default rather than hiding the CLI's own error message.
 */
export function loadLoggingSettings(env: NodeJS.ProcessEnv, isTty: boolean): LoggingSettings {
  const parsed = z.object(loggingEnvShape).safeParse(env);
  return loggingFrom(parsed.success ? parsed.data : { LOG_LEVEL: 'info', LOG_FORMAT: undefined }, isTty);
}
