/** Every failure of a Flex call: what happened, whether to try again, and whether Flex may have acted. */
export abstract class FlexError extends Error {
  abstract readonly code: string;
  /** Worth sending again later. */
  abstract readonly retryable: boolean;
  /** The request may have been processed by Flex although no answer says so. */
  abstract readonly outcomeUnknown: boolean;
}

/** Flex refused the request (4xx other than 429): sending it again would be refused again. */
export class FlexRejectedError extends FlexError {
  readonly code = 'flex_rejected';
  readonly retryable = false;
  readonly outcomeUnknown = false;
  constructor(
    readonly status: number,
    readonly twilioCode: number | undefined,
    readonly twilioMessage: string | undefined,
    readonly moreInfo: string | undefined,
    readonly responseBody: string,
  ) {
    super(rejectionSentence(status, twilioCode, twilioMessage));
    this.name = 'FlexRejectedError';
  }
}

/** Flex is overloaded or failing (429, 5xx); a 429 was not processed, a 5xx may or may not have been. */
export class FlexUnavailableError extends FlexError {
  readonly code = 'flex_unavailable';
  readonly retryable = true;
  readonly outcomeUnknown: boolean;
  constructor(
    readonly status: number,
    readonly retryAfterMs: number | undefined,
    readonly responseBody: string,
    method: string,
  ) {
    super(
      status === 429
        ? 'Flex asked us to slow down (HTTP 429, too many requests at once)'
        : `Flex answered with a server error (HTTP ${status})`,
    );
    this.name = 'FlexUnavailableError';
    // Twilio documents a 429 as never processed; a 5xx to a POST may have been.
    this.outcomeUnknown = status !== 429 && method === 'POST';
  }
}

/** No HTTP answer: timeout, refused or dropped connection. */
export class FlexNetworkError extends FlexError {
  readonly code = 'flex_network';
  readonly retryable = true;
  constructor(
    message: string,
    readonly outcomeUnknown: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'FlexNetworkError';
  }
}

/** Flex answered with something that is not what its API promises (HTML, truncated JSON, missing fields). */
export class FlexBadResponseError extends FlexError {
  readonly code = 'flex_bad_response';
  readonly retryable = true;
  constructor(
    readonly status: number,
    readonly responseBody: string,
    detail: string,
    readonly outcomeUnknown: boolean,
  ) {
    super(`Flex answered HTTP ${status} with a body we could not read (${detail})`);
    this.name = 'FlexBadResponseError';
  }
}

function rejectionSentence(status: number, code: number | undefined, message: string | undefined): string {
  const twilio = code ? ` (Twilio error ${code}${message ? `: ${message}` : ''})` : message ? ` (${message})` : '';
  switch (status) {
    case 401:
      return `Flex refused the app's credentials${twilio}. Ask your Slack admin to check the app's Twilio settings (TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN, or the API key) or your own Flex authorization.`;
    case 403:
      return `Flex does not allow this account or user to post QM comments${twilio}. Ask your Flex admin for Flex Insights quality-management access.`;
    case 404:
      return `Flex could not find what the comment refers to${twilio}. Check the call's segment id, and ask an admin to run a categories sync if the category is new.`;
    case 400:
    case 422:
      return `Flex did not accept the comment's details${twilio}. Check the category, the call and the time, then submit again.`;
    default:
      return `Flex refused the request with HTTP ${status}${twilio}.`;
  }
}
