/** The calls the Flex client makes, so an error can say which one failed. */
export type FlexOperation =
  | 'createComment'
  | 'listComments'
  | 'findSegment'
  | 'listCommentCategories'
  | 'listWorkers'
  | ScorecardOperation
  | CallHistoryOperation;

/** The questionnaire (scorecard) calls: src/flex/scorecard-client.ts. */
export type ScorecardOperation =
  | 'listQuestionnaires'
  | 'fetchAnswerSets'
  | 'createAnswer'
  | 'updateAnswer'
  | 'listAnswers';

/** The list calls of /qm history: src/flex/call-history-client.ts. */
export type CallHistoryOperation = 'listCallComments' | 'listCallAnswers' | 'countCallComments';

/** The calls that create something in Flex, whose outcome a lost answer leaves in doubt. */
export function createsInFlex(operation: FlexOperation): boolean {
  return operation === 'createComment' || operation === 'createAnswer';
}

/**
 * Every failure of a Flex call: what happened, whether to try again, and whether Flex may have acted.
 * Messages never carry credentials or Authorization values, since they end up in logs and in Slack.
 */
export abstract class FlexError extends Error {
  abstract readonly code: string;
  /**
   * The failure as the app's log says it, to an admin: what went wrong and which setting or command
   * fixes it. `message` is what the reviewer reads in Slack ("Ask your Slack admin…"); where the two
   * readers need the same words, they are the same.
   */
  get forAdmins(): string {
    return this.message;
  }
  /** Worth sending again later. */
  abstract readonly retryable: boolean;
  /** The request may have been processed by Flex although no answer says so. */
  abstract readonly outcomeUnknown: boolean;

  constructor(
    message: string,
    readonly operation: FlexOperation,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * A log call's arguments for a failure: a Flex failure in an admin's words (`forAdmins`, no stack: the
 * words say it all), anything else as it is, so an unexpected error keeps its stack.
 */
export function logArgs(what: string, error: unknown): [Record<string, unknown>, string] {
  // A FlexError's own message is written for the reviewer ("Ask your Slack admin…"): the log gets the
  // admin's wording and the error's code instead.
  return error instanceof FlexError
    ? [{ errorCode: error.code }, `${what}: ${error.forAdmins}`]
    : [{ err: error }, what];
}

/** We refused to send the request ourselves (an offset that is not a number, a malformed header value). */
export class FlexInvalidRequestError extends FlexError {
  readonly code = 'flex_invalid_request';
  readonly retryable = false;
  readonly outcomeUnknown = false;

  constructor(operation: FlexOperation, detail: string) {
    super(`The app did not send this to Flex: ${detail}.`, operation);
    this.name = 'FlexInvalidRequestError';
  }
}

/** Flex refused the request (4xx other than 429): sending it again would be refused again. */
export class FlexRejectedError extends FlexError {
  readonly code = 'flex_rejected';
  readonly retryable = false;
  readonly outcomeUnknown = false;
  readonly status: number;
  readonly twilioCode: number | undefined;
  readonly twilioMessage: string | undefined;
  readonly moreInfo: string | undefined;
  readonly responseBody: string;

  private readonly adminSentence: string;

  constructor(details: {
    operation: FlexOperation;
    status: number;
    twilioCode?: number | undefined;
    twilioMessage?: string | undefined;
    moreInfo?: string | undefined;
    responseBody: string;
    /** The request carried a reviewer's own Flex authorization rather than the app's credentials. */
    usedOwnAuthorization: boolean;
  }) {
    super(rejectionSentence(details), details.operation);
    this.adminSentence = rejectionSentenceForAdmins(details);
    this.name = 'FlexRejectedError';
    this.status = details.status;
    this.twilioCode = details.twilioCode;
    this.twilioMessage = details.twilioMessage;
    this.moreInfo = details.moreInfo;
    this.responseBody = details.responseBody;
  }

  override get forAdmins(): string {
    return this.adminSentence;
  }
}

/** Flex is overloaded (429) or failing (5xx). */
export class FlexUnavailableError extends FlexError {
  readonly code = 'flex_unavailable';
  readonly retryable = true;
  readonly outcomeUnknown: boolean;
  readonly status: number;
  /** How long Flex asked us to wait (its Retry-After header), when it said. */
  readonly retryAfterMs: number | undefined;
  readonly twilioCode: number | undefined;
  readonly responseBody: string;

  constructor(details: {
    operation: FlexOperation;
    status: number;
    retryAfterMs?: number | undefined;
    twilioCode?: number | undefined;
    responseBody: string;
  }) {
    const twilio = details.twilioCode === undefined ? '' : `, Twilio error ${details.twilioCode}`;
    super(
      details.status === 429
        ? `Flex asked us to slow down (HTTP 429${twilio}: too many requests at once)`
        : `Flex answered with a server error (HTTP ${details.status}${twilio})`,
      details.operation,
    );
    this.name = 'FlexUnavailableError';
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
    this.twilioCode = details.twilioCode;
    this.responseBody = details.responseBody;
    // Twilio documents a 429 as never processed; a 5xx to a create may or may not have been.
    this.outcomeUnknown = details.status !== 429 && createsInFlex(details.operation);
  }
}

/** How a call ended without an HTTP answer. */
export type FlexNetworkFailure = 'timeout' | 'cancelled' | 'not_connected' | 'connection_lost';

/** No HTTP answer: timeout, cancellation, refused or dropped connection. */
export class FlexNetworkError extends FlexError {
  readonly code = 'flex_network';
  readonly retryable = true;
  readonly outcomeUnknown: boolean;
  readonly failure: FlexNetworkFailure;

  constructor(details: {
    operation: FlexOperation;
    failure: FlexNetworkFailure;
    /** The socket-level error code, e.g. ECONNREFUSED or UND_ERR_SOCKET. */
    systemCode?: string | undefined;
    timeoutMs: number;
    /** False only when the request certainly never left this process (no connection, cancelled before sending). */
    mayHaveReachedFlex: boolean;
    cause?: unknown;
  }) {
    super(networkSentence(details), details.operation, { cause: details.cause });
    this.name = 'FlexNetworkError';
    this.failure = details.failure;
    // Only a create changes anything in Flex, so only a create can leave Flex's state in doubt.
    this.outcomeUnknown = createsInFlex(details.operation) && details.mayHaveReachedFlex;
  }
}

/** Flex answered with something its API does not promise (HTML, truncated JSON, missing fields, an empty 201). */
export class FlexBadResponseError extends FlexError {
  readonly code = 'flex_bad_response';
  readonly retryable = true;
  readonly outcomeUnknown: boolean;
  readonly status: number;
  readonly responseBody: string;

  constructor(details: { operation: FlexOperation; status: number; responseBody: string; detail: string }) {
    super(`Flex answered HTTP ${details.status} with a body we could not use (${details.detail})`, details.operation);
    this.name = 'FlexBadResponseError';
    this.status = details.status;
    this.responseBody = details.responseBody;
    // A success status to a create means Flex may well hold the comment, whatever the body says.
    this.outcomeUnknown = createsInFlex(details.operation) && details.status < 400;
  }
}

function rejectionSentence(details: {
  operation: FlexOperation;
  status: number;
  twilioCode?: number | undefined;
  twilioMessage?: string | undefined;
  usedOwnAuthorization: boolean;
}): string {
  const { status, twilioCode: code, twilioMessage: message } = details;
  const twilio = code ? ` (Twilio error ${code}${message ? `: ${message}` : ''})` : message ? ` (${message})` : '';
  switch (status) {
    case 401:
      return details.usedOwnAuthorization
        ? `Flex refused your own Flex authorization${twilio}. Ask your Slack admin to renew the Flex authorization linked to your Slack account.`
        : `Flex refused the app's credentials${twilio}. Ask your Slack admin to check the app's Twilio settings.`;
    case 403:
      return `Flex does not allow this${details.usedOwnAuthorization ? ' Flex user' : ' Twilio account'} to use quality management${twilio}. Ask your Flex admin for Flex Insights quality-management access.`;
    case 404:
      if (details.operation === 'listWorkers') {
        return `TaskRouter has no such workspace${twilio}. Check TASKROUTER_WORKSPACE_SID (Console → TaskRouter → Workspaces) and that it belongs to this Twilio account.`;
      }
      return `Flex could not find its quality-management API${twilio}. Ask your Slack admin to check the app's Flex API address and that Flex Insights quality management is enabled for the account.`;
    case 400:
    case 422:
      if (details.operation === 'createAnswer' || details.operation === 'updateAnswer') {
        return `Flex did not accept the answer${twilio}; the questionnaire may have changed in Flex. Ask a QM admin to run \`npm run questionnaires -- sync\`, then score the call again.`;
      }
      return details.operation === 'createComment'
        ? `Flex did not accept the comment's details${twilio}. Check the category, the call and the time, then submit again.`
        : `Flex did not accept the request${twilio}. Ask your Slack admin to look at the app's logs.`;
    default:
      return `Flex refused the request with HTTP ${status}${twilio}.`;
  }
}

/** The same refusal, said to whoever runs the app: the settings and commands that fix it. */
function rejectionSentenceForAdmins(details: {
  operation: FlexOperation;
  status: number;
  twilioCode?: number | undefined;
  twilioMessage?: string | undefined;
  usedOwnAuthorization: boolean;
}): string {
  const { status, twilioCode: code, twilioMessage: message } = details;
  const twilio = code ? ` (Twilio error ${code}${message ? `: ${message}` : ''})` : message ? ` (${message})` : '';
  const call = `Flex refused ${details.operation} with HTTP ${status}${twilio}`;
  switch (status) {
    case 401:
      return details.usedOwnAuthorization
        ? `${call}: a reviewer's own Flex Authorization value was refused. Store a valid one: npm run identities -- add --email EMAIL --name NAME --flex-authorization -`
        : `${call}: the app's Twilio credentials were refused. Check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (or TWILIO_API_KEY and TWILIO_API_SECRET).`;
    case 403:
      return `${call}: ${details.usedOwnAuthorization ? "a reviewer's Flex user" : 'the Twilio account'} may not use Flex Insights quality management. Give it access in Flex.`;
    case 404:
      return details.operation === 'listWorkers'
        ? `${call}: check TASKROUTER_WORKSPACE_SID (Console → TaskRouter → Workspaces) and that it belongs to this Twilio account.`
        : `${call}: check FLEX_API_BASE_URL and that Flex Insights quality management is enabled for the account.`;
    default:
      return `${call}.`;
  }
}

function networkSentence(details: {
  failure: FlexNetworkFailure;
  systemCode?: string | undefined;
  timeoutMs: number;
}): string {
  const code = details.systemCode ? ` (${details.systemCode})` : '';
  switch (details.failure) {
    case 'timeout':
      return `Flex did not answer within ${details.timeoutMs} ms`;
    case 'cancelled':
      return 'The request to Flex was cancelled before Flex answered';
    case 'not_connected':
      return `Could not reach Flex${code}`;
    case 'connection_lost':
      return `The connection to Flex broke before Flex answered${code}`;
  }
}

/** Twilio's "Authenticate" error: the credentials were not accepted (https://www.twilio.com/docs/api/errors/20003). */
export const TWILIO_AUTHENTICATE_ERROR = 20003;

/** A 401, a 403 or Twilio error 20003 for the app's own credentials: Flex will refuse every call like it. */
export function isCredentialRefusal(error: unknown): error is FlexRejectedError {
  return (
    error instanceof FlexRejectedError &&
    (error.status === 401 || error.status === 403 || error.twilioCode === TWILIO_AUTHENTICATE_ERROR)
  );
}
