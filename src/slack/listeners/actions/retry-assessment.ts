import type {
  AllMiddlewareArgs,
  BlockAction,
  ButtonAction,
  Logger,
  RespondFn,
  SlackActionMiddlewareArgs,
  webApi,
} from '@slack/bolt';
import { z } from 'zod';
import type { RetryResult } from '../../../domain/assessments/retry-service.js';
import { type OutgoingMessage, queuedAgainMessage } from '../../notifications/outcome-messages.js';
import type { ListenerServices } from '../services.js';
import { slackUserOf } from '../slack-user.js';

const assessmentId = z.uuid();

/** The Retry button on a failed comment's message: back in the queue, if the clicker may. */
export function retryAssessment(services: ListenerServices) {
  return async ({
    ack,
    body,
    action,
    respond,
    client,
    context,
    logger,
  }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>): Promise<void> => {
    await ack();
    const id = assessmentId.safeParse(action.value);
    if (!id.success) {
      logger.warn('A Retry button carried a value this app did not write; ignored.');
      return;
    }
    const clicker = slackUserOf(services, context, body.team?.id ?? body.user.team_id ?? '', body.user.id);
    const result = await services.retries.retry(id.data, clicker);
    const fields = { event: 'retry_clicked', assessmentId: id.data, slackUser: clicker.userId, result: result.kind };
    if (result.kind === 'queued')
      logger.info(fields, `Assessment ${id.data} queued again by Slack user ${clicker.userId}.`);
    else
      logger.info(fields, `Retry of assessment ${id.data} by Slack user ${clicker.userId} not done: ${result.kind}.`);
    const reply = replyFor(result, clicker.userId);
    await tell({ respond, client, logger, body }, reply.message, reply.replaceOriginal);
  };
}

function replyFor(result: RetryResult, clickerId: string): { message: OutgoingMessage; replaceOriginal: boolean } {
  const plain = (text: string) => ({
    replaceOriginal: false,
    message: { text, blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text } }] },
  });
  switch (result.kind) {
    case 'queued':
      return { replaceOriginal: true, message: queuedAgainMessage(result.assessment, clickerId) };
    case 'not_failed':
      return plain(
        result.assessment.status === 'posted'
          ? ':white_check_mark: This QM comment is already in Flex; there is nothing to send again.'
          : ':hourglass_flowing_sand: This QM comment is already queued to be sent again; one click is enough.',
      );
    case 'not_found':
      return plain(
        ':warning: This QM comment is no longer in the app’s records, so it cannot be sent again. Copy its text from this message and comment again with `/qm`.',
      );
    case 'not_allowed':
      return plain(`:no_entry: ${result.reason}`);
  }
}

/** Answers where the button was: through the message's response_url, else ephemerally in its channel. */
async function tell(
  where: {
    respond: RespondFn;
    client: webApi.WebClient;
    logger: Logger;
    body: BlockAction<ButtonAction>;
  },
  message: OutgoingMessage,
  replaceOriginal: boolean,
): Promise<void> {
  const { respond, client, logger, body } = where;
  try {
    if (body.response_url) {
      await respond({ response_type: 'ephemeral', replace_original: replaceOriginal, ...message });
      return;
    }
    if (body.channel?.id) {
      await client.chat.postEphemeral({ channel: body.channel.id, user: body.user.id, ...message });
      return;
    }
    await client.chat.postMessage({ channel: body.user.id, ...message });
  } catch (error) {
    logger.warn({ err: error }, 'Could not answer a Retry click');
  }
}
