import type { Logger } from '@slack/bolt';
import { CallHistoryRepository } from '../db/repositories/call-history-repository.js';
import type { ReviewerCredentials } from '../domain/assessments/ports.js';
import { CallHistoryReader } from '../domain/calls/call-history.js';
import { logArgs } from '../flex/errors.js';
import type { FlexClient } from '../flex/flex-client.js';
import type { PrismaClient } from '../generated/prisma/client.js';

/**
 * What a call already holds (/qm history, and the comment counts in the form and in call link previews):
 * Flex's two list calls, read through the app's one Flex client (timed and recorded like every other
 * Flex call), and the app's unsent rows.
 */
export function wireCallHistory(deps: {
  flex: Pick<FlexClient, 'listCallComments' | 'listCallAnswers' | 'countCallComments'>;
  prisma: PrismaClient;
  /** A reviewer's own Flex Authorization value, to read the scorecard answers Flex lists only to them. */
  credentials: ReviewerCredentials;
  logger: Logger;
  /** How long the form and the preview wait for a count; the same budget as the call's own lookup. */
  countTimeoutMs: number;
}) {
  const { flex } = deps;
  const history = new CallHistoryReader({
    flex: {
      listComments: (segmentId) => flex.listCallComments(segmentId),
      listAnswers: (segmentId, options) => flex.listCallAnswers(segmentId, options),
      countComments: (segmentId) => flex.countCallComments(segmentId),
    },
    pending: new CallHistoryRepository(deps.prisma),
    credentials: deps.credentials,
    countTimeoutMs: deps.countTimeoutMs,
    onCountError: (error) => deps.logger.warn(...logArgs('Counting the comments on a call failed', error)),
  });
  return { history };
}
