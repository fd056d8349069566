import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { ModalMetadata } from '../../views/modal-metadata.js';
import { openCommentModal } from '../open-comment-modal.js';
import type { ListenerServices } from '../services.js';
import { parseQmCommandText, qmUsage } from './qm-command-text.js';

/** `/qm`: opens the comment modal at once, then fills in what Flex knows about the call. */
export function qmCommand(services: ListenerServices) {
  return async ({ command, ack, client, logger }: AllMiddlewareArgs & SlackCommandMiddlewareArgs): Promise<void> => {
    const parsed = parseQmCommandText(command.text, services.callLinkPatterns);
    if (parsed.kind === 'help') {
      await ack({ response_type: 'ephemeral', text: qmUsage(command.command) });
      return;
    }
    const categories = services.catalog.current();
    if (categories.length === 0) {
      await ack({
        response_type: 'ephemeral',
        text: 'There are no QM comment categories yet, so there is nothing to choose from. Ask a QM admin to run `npm run categories -- sync` (or `categories -- add`), then try again.',
      });
      services.catalog.refresh().catch((error: unknown) => logger.error('Refreshing categories failed', error));
      return;
    }
    await ack();

    const metadata: ModalMetadata = {
      v: 1,
      source: 'command',
      channelId: command.channel_id,
      responseUrl: command.response_url,
      ...(parsed.messageLink ? { thread: parsed.messageLink } : {}),
      ...(parsed.call
        ? {
            segmentId: parsed.call.segmentId,
            ...(parsed.call.url ? { callUrl: parsed.call.url } : {}),
            ...((parsed.offsetSeconds ?? parsed.call.offsetSeconds) !== undefined
              ? { offsetSeconds: parsed.offsetSeconds ?? parsed.call.offsetSeconds }
              : {}),
          }
        : {}),
    };
    const unrecognised = parsed.unrecognised.join(' ');
    await openCommentModal(
      services,
      client,
      logger,
      command.trigger_id,
      metadata,
      unrecognised && !parsed.call
        ? {
            notice: `“${unrecognised}” is not a segment id or a call link I know; fix it below.`,
            values: { segment: unrecognised },
          }
        : {},
    );
  };
}
