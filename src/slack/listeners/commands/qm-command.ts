import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { parseOffset } from '../../../domain/calls/offset.js';
import { workspaceOption } from '../../../domain/identities/admin-commands.js';
import { logArgs } from '../../../flex/errors.js';
import type { CommentModalValues } from '../../views/comment-modal.js';
import { linkModal } from '../../views/identity-views.js';
import type { ModalMetadata } from '../../views/modal-metadata.js';
import { escapeMrkdwn, truncate } from '../../views/mrkdwn.js';
import { refusalFor } from '../access-gate.js';
import { formDidNotOpenText, openOrSayTooLate } from '../expired-trigger.js';
import { openCommentModal } from '../open-comment-modal.js';
import type { ListenerServices } from '../services.js';
import { slackUserOf } from '../slack-user.js';
import { callHistoryCommand } from './call-history-command.js';
import { parseQmCommandText, qmUsage } from './qm-command-text.js';
import { askToBeLinked, whoAmI, whoAmIText } from './self-service.js';

/** `/qm`: opens the comment modal at once, then fills in what Flex knows about the call. */
export function qmCommand(services: ListenerServices) {
  return async ({
    command,
    ack,
    client,
    context,
    logger,
    respond,
  }: AllMiddlewareArgs & SlackCommandMiddlewareArgs): Promise<void> => {
    const workspaceId = services.workspaces.keyOf(context);
    const parsed = parseQmCommandText(command.text, services.callLinkPatterns);
    const slackUser = slackUserOf(services, context, command.team_id, command.user_id);
    if (parsed.kind === 'help') {
      await ack({ response_type: 'ephemeral', text: qmUsage(command.command) });
      return;
    }
    if (parsed.kind === 'whoami') {
      await ack();
      const text = whoAmIText(await whoAmI(services, slackUser));
      await respond({ response_type: 'ephemeral', text });
      return;
    }
    if (parsed.kind === 'link') {
      await ack();
      if (!parsed.email) {
        await client.views.open({ trigger_id: command.trigger_id, view: linkModal() });
        return;
      }
      const text = await askToBeLinked(services, client, logger, slackUser, parsed.email);
      await respond({ response_type: 'ephemeral', text });
      return;
    }
    if (parsed.kind === 'history') {
      await ack();
      await callHistoryCommand(services, client, logger, respond, {
        parsed,
        slackUser,
        triggerId: command.trigger_id,
        commandName: command.command,
      });
      return;
    }
    const categories = services.catalog.current(workspaceId ?? null);
    if (categories.length === 0) {
      await ack({ response_type: 'ephemeral', text: noCategoriesText(workspaceId) });
      services.catalog
        .refresh()
        .catch((error: unknown) => logger.error(...logArgs('Refreshing categories failed', error)));
      return;
    }
    await ack();
    // Asked before the modal opens, so someone who may not comment is told why, and nothing else happens.
    const refusal = await refusalFor(services, client, slackUser);
    if (refusal) {
      await respond({ response_type: 'ephemeral', text: refusal });
      return;
    }

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
    await openOrSayTooLate(
      logger,
      () =>
        openCommentModal(
          services,
          client,
          logger,
          command.trigger_id,
          metadata,
          leftOverWords(parsed.unrecognised, Boolean(parsed.call), metadata.offsetSeconds !== undefined),
          workspaceId,
        ),
      () => respond({ response_type: 'ephemeral', text: expiredTriggerText(command.command, command.text) }),
    );
  };
}

/**
 * Words of the command that were neither a call, a time nor a message link are said in the form and put
 * in the field they were probably meant for, so nothing typed is silently dropped: a call when none was
 * found, else the time in the recording (`/qm <segment> 99:99`), whose check at submission then says how
 * to write it, as it does for any time typed into the form.
 */
export function leftOverWords(
  words: readonly string[],
  callFound: boolean,
  timeFound: boolean,
): { notice?: string; values?: CommentModalValues } {
  const leftOver = words.join(' ');
  if (!leftOver) return {};
  if (!callFound) {
    return {
      notice: `“${leftOver}” is not a segment id or a call link I know; fix it below.`,
      values: { segment: leftOver },
    };
  }
  if (timeFound) return { notice: `“${leftOver}” is not a call, a time or a Slack message link, so it was left out.` };
  const time = parseOffset(leftOver);
  const problem = time.ok ? '' : ` ${time.problem}`;
  return {
    notice: `“${leftOver}” is not a time in the recording I can read, so it is in the time field below to fix.${problem}`,
    values: { offset: leftOver },
  };
}

/** What to tell someone whose form did not open in time, with the command to run again. */
export function expiredTriggerText(commandName: string, text: string): string {
  // What they typed, escaped and without backticks, so it can neither break out of the code span nor ping anyone.
  const typed = escapeMrkdwn(truncate(text.trim().replaceAll('`', "'"), 300));
  const again = `${commandName}${typed ? ` ${typed}` : ''}`;
  return formDidNotOpenText(`Run \`${again}\` again.`);
}

/** What to tell someone when their workspace has no categories yet, with the command that adds them. */
export function noCategoriesText(workspaceId: string | undefined): string {
  const where = workspaceOption(workspaceId);
  return `There are no QM comment categories yet, so there is nothing to choose from. Ask a QM admin to run \`npm run categories -- sync${where}\` (or \`categories -- add${where}\`), then try again.`;
}
