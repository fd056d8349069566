import type { SlackCallObserver } from '../slack/web-api-fetch.js';
import type { CallResult, ServiceStatus } from './service-status.js';

/**
 * Slack errors that refuse the token itself rather than one call, from the errors Slack lists for
 * every Web API method (https://api.slack.com/methods/auth.test, "Errors"): the token is wrong, revoked,
 * expired, of a deactivated account or workspace, or of a kind the method does not take.
 */
export const SLACK_TOKEN_REFUSALS: ReadonlySet<string> = new Set([
  'not_authed',
  'invalid_auth',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'no_permission',
  'org_login_required',
  'ekm_access_denied',
  'team_access_not_granted',
  'not_allowed_token_type',
  'team_is_restricted',
  'enterprise_is_restricted',
]);

/** Slack errors that say Slack itself is struggling; the same call may well work later. */
export const SLACK_TRANSIENT_ERRORS: ReadonlySet<string> = new Set([
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);

export function slackCallResult(httpStatus: number | undefined, slackError: string | undefined): CallResult {
  if (httpStatus === undefined || httpStatus === 429 || httpStatus >= 500) return 'unreachable';
  if (slackError === undefined) return httpStatus === 200 ? 'ok' : 'answered_error';
  if (SLACK_TOKEN_REFUSALS.has(slackError)) return 'refused';
  if (SLACK_TRANSIENT_ERRORS.has(slackError)) return 'unreachable';
  return 'answered_error';
}

/** Records every Slack Web API call's outcome in the service status. */
export function recordSlackCalls(status: ServiceStatus): SlackCallObserver {
  return (method, { httpStatus, slackError }) => {
    const result = slackCallResult(httpStatus, slackError);
    const detail = slackError ?? (httpStatus === undefined ? 'no answer' : `HTTP ${httpStatus}`);
    status.record('slack', result, method, result === 'ok' ? undefined : detail);
  };
}
