import { z } from 'zod';

export interface MetricsSettings {
  /** When set, GET /metrics wants `Authorization: Bearer <token>`; unset, /metrics is open. */
  token: string | undefined;
}

export const metricsEnvShape = {
  METRICS_TOKEN: z
    .string()
    .optional()
    .transform((value) => value?.trim() || undefined)
    .pipe(
      z
        .string()
        .min(
          16,
          'must be at least 16 characters (make one with `openssl rand -hex 32`), or unset to leave /metrics open',
        )
        .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces (it is sent in an HTTP header)')
        .optional(),
    ),
};

export function metricsFrom(e: { METRICS_TOKEN?: string | undefined }): MetricsSettings {
  return { token: e.METRICS_TOKEN };
}
