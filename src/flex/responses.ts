import type { z } from 'zod';
import {
  createsInFlex,
  FlexBadResponseError,
  type FlexError,
  type FlexOperation,
  FlexRejectedError,
  FlexUnavailableError,
} from './errors.js';
import type { FlexHttpResponse } from './http-transport.js';
import { parseRetryAfter } from './retry-after.js';
import { twilioErrorSchema } from './schemas.js';

/** Reads a JSON body through its schema; anything else is a bad response, never a crash. */
export function readJson<Schema extends z.ZodType>(
  response: FlexHttpResponse,
  schema: Schema,
  operation: FlexOperation,
): z.output<Schema> {
  const bad = (detail: string) =>
    new FlexBadResponseError({ operation, status: response.status, responseBody: response.body, detail });
  let json: unknown;
  try {
    json = JSON.parse(response.body);
  } catch {
    throw bad(response.body.trim() === '' ? 'empty body' : 'not JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw bad(issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'unexpected shape');
  }
  return parsed.data;
}

/** The error for an answer whose status is not the one the operation expects. */
export function statusError(
  response: FlexHttpResponse,
  operation: FlexOperation,
  usedOwnAuthorization: boolean,
): FlexError {
  const twilio = twilioErrorOf(response.body);
  if (response.status === 429 || response.status >= 500) {
    return new FlexUnavailableError({
      operation,
      status: response.status,
      retryAfterMs: parseRetryAfter(response.headers['retry-after']),
      twilioCode: twilio.twilioCode,
      responseBody: response.body,
    });
  }
  if (response.status >= 400) {
    return new FlexRejectedError({
      operation,
      status: response.status,
      ...twilio,
      responseBody: response.body,
      usedOwnAuthorization,
    });
  }
  return new FlexBadResponseError({
    operation,
    status: response.status,
    responseBody: response.body,
    detail: `expected ${createsInFlex(operation) ? '201 Created' : '200 OK'}`,
  });
}

function twilioErrorOf(body: string): z.output<typeof twilioErrorSchema> | Record<string, never> {
  try {
    const parsed = twilioErrorSchema.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : {};
  } catch {
    // An HTML page from a proxy, or nothing: no Twilio details to show.
    return {};
  }
}
