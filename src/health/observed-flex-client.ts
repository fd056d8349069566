import {
  FlexError,
  FlexNetworkError,
  FlexRejectedError,
  FlexUnavailableError,
  isCredentialRefusal,
} from '../flex/errors.js';
import type { FlexClient, RequestOptions } from '../flex/flex-client.js';
import type { CallResult, ServiceStatus } from './service-status.js';

/** How a Flex call ended, as /readyz tells it. */
export function flexCallResult(error: unknown, ownAuthorization: boolean): { result: CallResult; detail: string } {
  if (error instanceof FlexRejectedError) {
    const detail = `HTTP ${error.status}${error.twilioCode ? `, Twilio error ${error.twilioCode}` : ''}`;
    // A reviewer's own authorization refused says nothing about the app's credentials.
    return { result: isCredentialRefusal(error) && !ownAuthorization ? 'refused' : 'answered_error', detail };
  }
  if (error instanceof FlexUnavailableError) return { result: 'unreachable', detail: `HTTP ${error.status}` };
  if (error instanceof FlexNetworkError) return { result: 'unreachable', detail: error.failure };
  if (error instanceof FlexError) return { result: 'answered_error', detail: error.code };
  return { result: 'unreachable', detail: error instanceof Error ? error.name : 'unknown' };
}

/** The Flex client, recording how each call ended in the service status. */
export function observedFlexClient(flex: FlexClient, status: ServiceStatus): FlexClient {
  function observe<Args extends unknown[], Result>(
    call: string,
    run: (...args: Args) => Promise<Result>,
    optionsOf: (args: Args) => RequestOptions | undefined,
  ) {
    return async (...args: Args): Promise<Result> => {
      try {
        const result = await run(...args);
        status.record('flex', 'ok', call);
        return result;
      } catch (error) {
        const { result, detail } = flexCallResult(error, optionsOf(args)?.authorization !== undefined);
        status.record('flex', result, call, detail);
        throw error;
      }
    };
  }
  return {
    createComment: observe('createComment', flex.createComment.bind(flex), (args) => args[1]),
    listComments: observe('listComments', flex.listComments.bind(flex), (args) => args[1]),
    findSegment: observe('findSegment', flex.findSegment.bind(flex), (args) => args[1]),
    listCommentCategories: observe('listCommentCategories', flex.listCommentCategories.bind(flex), (args) => args[0]),
    listQuestionnaires: observe('listQuestionnaires', flex.listQuestionnaires.bind(flex), () => undefined),
    fetchAnswerSets: observe('fetchAnswerSets', flex.fetchAnswerSets.bind(flex), () => undefined),
    createAnswer: observe('createAnswer', flex.createAnswer.bind(flex), (args) => args[1]),
    updateAnswer: observe('updateAnswer', flex.updateAnswer.bind(flex), (args) => args[2]),
    listAnswers: observe('listAnswers', flex.listAnswers.bind(flex), (args) => args[1]),
    listCallComments: observe('listCallComments', flex.listCallComments.bind(flex), () => undefined),
    listCallAnswers: observe('listCallAnswers', flex.listCallAnswers.bind(flex), (args) => args[1]),
    countCallComments: observe('countCallComments', flex.countCallComments.bind(flex), () => undefined),
    close: () => flex.close(),
  };
}
