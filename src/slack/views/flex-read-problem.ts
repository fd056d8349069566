import { FlexBadResponseError, FlexNetworkError, FlexRejectedError, FlexUnavailableError } from '../../flex/errors.js';

/**
 * Why a read from Flex failed and what the reader can do, in a reviewer's words: a refusal already says
 * whom to ask; what passes (overload, server errors, timeouts) says to try again, and when to tell an admin.
 */
export function flexReadProblemText(error: unknown): string {
  if (error instanceof FlexRejectedError) return error.message;
  if (error instanceof FlexUnavailableError) {
    return error.status === 429
      ? `${error.message}. Try again in a minute.`
      : `${error.message}: Flex is having trouble. Try again in a few minutes; if it goes on, tell your Slack admin.`;
  }
  if (error instanceof FlexNetworkError) {
    return `${error.message}. Try again in a minute; if it goes on, tell your Slack admin (the app's log says more).`;
  }
  if (error instanceof FlexBadResponseError) {
    return `${error.message}. Try again; if it goes on, tell your Slack admin (the app's log has Flex's answer).`;
  }
  return "Something went wrong while reading from Flex. Try again; if it goes on, tell your Slack admin (the app's log says more).";
}
