import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { MAX_OFFSET_SECONDS } from '../../../domain/calls/offset.js';
import type { ModalMetadata } from '../../views/modal-metadata.js';
import { refusalFor } from '../access-gate.js';
import { formDidNotOpenText, openOrSayTooLate } from '../expired-trigger.js';
import { openCommentModal } from '../open-comment-modal.js';
import type { ListenerServices } from '../services.js';
import { slackUserOf } from '../slack-user.js';

const buttonValue = z.object({
  s: z.string().regex(/^[0-9a-f-]{36}$/),
  o: z.number().nonnegative().max(MAX_OFFSET_SECONDS).optional(),
  a: z.string().max(255).optional(),
  u: z.string().max(2000).optional(),
});
const container = z.object({ message_ts: z.string().optional(), channel_id: z.string().optional() }).loose();

/** The Comment button on a call's preview: the form for that call, answered in the message's thread. */
export function commentFromUnfurl(services: ListenerServices) {
  return async ({
    ack,
    body,
    action,
    client,
    context,
    logger,
  }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>): Promise<void> => {
    await ack();
    const value = buttonValue.safeParse(safeJson(action.value));
    if (!value.success) {
      logger.warn('A Comment button carried a value this app did not write; ignored.');
      return;
    }
    const where = container.safeParse(body.container);
    const channelId = body.channel?.id ?? (where.success ? where.data.channel_id : undefined);
    const refusal = await refusalFor(
      services,
      client,
      slackUserOf(services, context, body.team?.id ?? body.user.team_id ?? '', body.user.id),
    );
    if (refusal) {
      // A button in a preview has no response_url: the refusal goes to the clicker alone, in the channel.
      if (channelId) {
        await client.chat
          .postEphemeral({ channel: channelId, user: body.user.id, text: refusal })
          .catch((error: unknown) => logger.warn('Could not tell someone why they may not comment', error));
      }
      return;
    }
    const messageTs = where.success ? where.data.message_ts : undefined;
    const threadTs = typeof body.message?.thread_ts === 'string' ? body.message.thread_ts : messageTs;
    const metadata: ModalMetadata = {
      v: 1,
      source: 'unfurl',
      ...(channelId ? { channelId } : {}),
      ...(channelId && messageTs && threadTs ? { thread: { channelId, messageTs, threadTs } } : {}),
      segmentId: value.data.s,
      ...(value.data.o === undefined ? {} : { offsetSeconds: value.data.o }),
      ...(value.data.a ? { agentId: value.data.a } : {}),
      ...(value.data.u ? { callUrl: value.data.u } : {}),
    };
    await openOrSayTooLate(
      logger,
      () =>
        openCommentModal(services, client, logger, body.trigger_id, metadata, {}, services.workspaces.keyOf(context)),
      async () => {
        if (!channelId) return;
        const text = formDidNotOpenText('Press Comment on the call’s preview again.');
        await client.chat
          .postEphemeral({ channel: channelId, user: body.user.id, text })
          .catch((failure: unknown) => logger.warn('Could not tell someone their form did not open', failure));
      },
    );
  };
}

function safeJson(text: string | undefined): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}
