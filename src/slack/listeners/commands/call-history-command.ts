import type { Logger, RespondFn, webApi } from '@slack/bolt';
import type { SlackUser } from '../../../domain/identities/slack-user.js';
import { escapeMrkdwn, truncate } from '../../views/mrkdwn.js';
import { refusalFor } from '../access-gate.js';
import { openOrSayTooLate } from '../expired-trigger.js';
import { showCallHistory } from '../history/show-call-history.js';
import type { ListenerServices } from '../services.js';
import type { QmCommand } from './qm-command-text.js';

/** `/qm history <call>`: the same people as `/qm` may see what a call already holds, privately. */
export async function callHistoryCommand(
  services: ListenerServices,
  client: webApi.WebClient,
  logger: Logger,
  respond: RespondFn,
  request: {
    parsed: Extract<QmCommand, { kind: 'history' }>;
    slackUser: SlackUser;
    triggerId: string;
    commandName: string;
  },
): Promise<void> {
  const { parsed, commandName } = request;
  if (!parsed.call) {
    const typed = parsed.typed
      ? `“${escapeMrkdwn(truncate(parsed.typed.replaceAll('`', "'"), 200))}” is not a segment id or a call link I know. `
      : '';
    await respond({
      response_type: 'ephemeral',
      text: `${typed}Give the call: \`${commandName} history <segment id or Flex Insights call link>\`, e.g. \`${commandName} history 0105be7a-9b87-51f1-8df8-aa74ddb9c4a7\`.`,
    });
    return;
  }
  const refusal = await refusalFor(services, client, request.slackUser);
  if (refusal) {
    await respond({ response_type: 'ephemeral', text: refusal });
    return;
  }
  const segmentId = parsed.call.segmentId;
  await openOrSayTooLate(
    logger,
    () =>
      showCallHistory(services, client, logger, {
        triggerId: request.triggerId,
        segmentId,
        viewer: request.slackUser,
        over: 'nothing',
      }),
    () =>
      respond({
        response_type: 'ephemeral',
        text: `The call history did not open: the app took longer than Slack allows (3 seconds). Run \`${commandName} history ${segmentId}\` again.`,
      }),
  );
}
