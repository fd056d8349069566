import { safeErrorMessage } from '../../logging/redaction.js';
import type { DeliveryFailure } from './ports.js';

/**
 * Reads the retry facts off an error from the Flex client; unknown errors are assumed to maybe have landed.
 * The message is stored (lastError), logged and shown to the reviewer: a database error's is its reason only.
 */
export function describeFailure(error: unknown): DeliveryFailure {
  if (error instanceof Error && 'retryable' in error && 'outcomeUnknown' in error) {
    const fields = error as Error &
      Partial<
        Record<
          'retryable' | 'outcomeUnknown' | 'retryAfterMs' | 'responseBody' | 'status' | 'twilioCode' | 'code',
          unknown
        >
      >;
    return {
      message: error.message,
      retryable: fields.retryable === true,
      outcomeUnknown: fields.outcomeUnknown === true,
      retryAfterMs: typeof fields.retryAfterMs === 'number' ? fields.retryAfterMs : undefined,
      responseBody: typeof fields.responseBody === 'string' ? fields.responseBody : undefined,
      httpStatus: typeof fields.status === 'number' ? fields.status : undefined,
      twilioCode: typeof fields.twilioCode === 'number' ? fields.twilioCode : undefined,
      errorCode: typeof fields.code === 'string' ? fields.code : undefined,
    };
  }
  return {
    message: safeErrorMessage(error),
    retryable: true,
    outcomeUnknown: true,
  };
}
