import type { Logger } from '@slack/bolt';
import type { Config } from '../config/config.js';
import { CallHistoryRepository } from '../db/repositories/call-history-repository.js';
import type { ReviewerCredentials } from '../domain/assessments/ports.js';
import { CallHistoryReader } from '../domain/calls/call-history.js';
import { type CallHistoryClient, createCallHistoryClient } from '../flex/call-history-client.js';
import { logArgs } from '../flex/errors.js';
import type { PrismaClient } from '../generated/prisma/client.js';

/**
 * What a call already holds (/qm history, and the comment counts in the form and in call link previews):
 * Flex's two list calls, read with the app's credentials, and the app's unsent rows.
 */
export function wireCallHistory(deps: {
  config: Config;
  prisma: PrismaClient;
  /** A reviewer's own Flex Authorization value, to read the scorecard answers Flex lists only to them. */
  credentials: ReviewerCredentials;
  logger: Logger;
  /** How long the form and the preview wait for a count; the same budget as the call's own lookup. */
  countTimeoutMs: number;
  /** Tests pass their own client; otherwise one is made from the Flex settings. */
  client?: CallHistoryClient;
}) {
  const { config } = deps;
  const client =
    deps.client ??
    createCallHistoryClient({
      baseUrl: config.flex.baseUrl,
      credentials: { username: config.flex.username, password: config.flex.password },
      timeoutMs: config.flex.timeoutMs,
    });
  const history = new CallHistoryReader({
    flex: client,
    pending: new CallHistoryRepository(deps.prisma),
    credentials: deps.credentials,
    countTimeoutMs: deps.countTimeoutMs,
    onCountError: (error) => deps.logger.warn(...logArgs('Counting the comments on a call failed', error)),
  });
  return {
    history,
    async close(): Promise<void> {
      if (!deps.client) await client.close();
    },
  };
}
