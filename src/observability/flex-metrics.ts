import type { FlexClient } from '../flex/flex-client.js';
import type { AppMetrics } from './metrics.js';

/** Times every Flex call into flexqm_flex_request_duration_seconds, by operation and how it ended. */
export function instrumentFlex(flex: FlexClient, metrics: AppMetrics): FlexClient {
  function timed<A extends unknown[], R>(operation: string, call: (...args: A) => Promise<R>) {
    return async (...args: A): Promise<R> => {
      const end = metrics.flexRequests.startTimer({ operation });
      try {
        const result = await call(...args);
        end({ status: 'ok' });
        return result;
      } catch (error) {
        end({ status: statusOf(error) });
        throw error;
      }
    };
  }
  return {
    createComment: timed('createComment', flex.createComment.bind(flex)),
    listComments: timed('listComments', flex.listComments.bind(flex)),
    findSegment: timed('findSegment', flex.findSegment.bind(flex)),
    listCommentCategories: timed('listCommentCategories', flex.listCommentCategories.bind(flex)),
    listQuestionnaires: timed('listQuestionnaires', flex.listQuestionnaires.bind(flex)),
    fetchAnswerSets: timed('fetchAnswerSets', flex.fetchAnswerSets.bind(flex)),
    createAnswer: timed('createAnswer', flex.createAnswer.bind(flex)),
    updateAnswer: timed('updateAnswer', flex.updateAnswer.bind(flex)),
    listAnswers: timed('listAnswers', flex.listAnswers.bind(flex)),
    listCallComments: timed('listCallComments', flex.listCallComments.bind(flex)),
    listCallAnswers: timed('listCallAnswers', flex.listCallAnswers.bind(flex)),
    countCallComments: timed('countCallComments', flex.countCallComments.bind(flex)),
    close: () => flex.close(),
  };
}

/** The HTTP status Flex answered with, or how the call ended without one. */
function statusOf(error: unknown): string {
  if (error && typeof error === 'object') {
    if ('status' in error && typeof error.status === 'number') return String(error.status);
    if ('failure' in error && typeof error.failure === 'string') return error.failure;
    if ('code' in error && error.code === 'flex_invalid_request') return 'not_sent';
  }
  return 'error';
}
