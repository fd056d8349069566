import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { LinkDecision } from '../../../domain/identities/link-requests.js';
import { adminsSentence } from '../../views/access-messages.js';
import { linkDecidedMessage } from '../../views/identity-views.js';
import { escapeMrkdwn } from '../../views/mrkdwn.js';
import type { ListenerServices } from '../services.js';
import { slackUserOf } from '../slack-user.js';

/** Approve or Reject in an admin's DM: only admins decide, once; every admin's DM then shows the outcome. */
export function linkDecision(services: ListenerServices, approve: boolean) {
  return async ({
    ack,
    body,
    action,
    client,
    context,
    logger,
    respond,
  }: AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>): Promise<void> => {
    await ack();
    const admin = slackUserOf(services, context, body.team?.id ?? body.user.team_id ?? '', body.user.id);
    const decision = await services.linkRequests.decide(action.value ?? '', admin, approve);
    const tell = (text: string) => respond({ response_type: 'ephemeral', replace_original: false, text });

    switch (decision.kind) {
      case 'not_admin':
        await tell(`Only QM admins can decide link requests. ${adminsSentence(decision.admins, admin.workspaceId)}`);
        return;
      case 'not_found':
        await tell('This link request no longer exists; nothing was changed.');
        return;
      case 'already_decided': {
        const by = decision.request.decidedBySlackUserId ? ` by <@${decision.request.decidedBySlackUserId}>` : '';
        await updateAdminMessages(client, decision, `Already ${decision.request.status}${by}.`, logger);
        await tell(`This request was already ${decision.request.status}${by}; nothing was changed.`);
        return;
      }
      default:
        break;
    }
    const { request, identity } = decision;
    // An admin action: who decided what for whom, by Slack ids (the identity's email stays out of the log).
    logger.info(
      {
        event: 'link_request_decided',
        decision: decision.kind,
        requestId: request.id,
        admin: admin.userId,
        slackUser: request.slackUserId,
        workspace: admin.workspaceId ?? admin.teamId,
        ...(identity ? { identityId: identity.id } : {}),
      },
      `Link request ${request.id} of Slack user ${request.slackUserId} ${decision.kind} by ${admin.userId}`,
    );
    const email = identity ? escapeMrkdwn(identity.email) : 'that Flex identity';
    if (decision.kind === 'approved') {
      await updateAdminMessages(client, decision, `:white_check_mark: Approved by <@${admin.userId}>.`, logger);
      await dm(
        client,
        request.slackUserId,
        `<@${admin.userId}> linked you to the Flex identity ${email}. See \`/qm whoami\` for your role.`,
        logger,
      );
    } else if (decision.kind === 'rejected') {
      await updateAdminMessages(client, decision, `:no_entry_sign: Rejected by <@${admin.userId}>.`, logger);
      await dm(
        client,
        request.slackUserId,
        `<@${admin.userId}> did not link you to the Flex identity ${email}. If you think that is a mistake, ask them.`,
        logger,
      );
    } else {
      await updateAdminMessages(
        client,
        decision,
        `Approved by <@${admin.userId}>, but not linked: ${decision.reason}.`,
        logger,
      );
      await dm(
        client,
        request.slackUserId,
        `Your request to be linked to ${email} was approved, but could not be done: ${decision.reason}. Ask <@${admin.userId}>.`,
        logger,
      );
    }
  };
}

async function updateAdminMessages(
  client: AllMiddlewareArgs['client'],
  decision: Extract<LinkDecision, { request: unknown }>,
  outcome: string,
  logger: AllMiddlewareArgs['logger'],
): Promise<void> {
  const message = linkDecidedMessage(decision.request, decision.identity, outcome);
  for (const { channel, ts } of decision.request.adminMessages) {
    try {
      await client.chat.update({ channel, ts, text: message.text, blocks: message.blocks });
    } catch (error) {
      logger.warn(`Could not update the link request message ${channel}/${ts}`, error);
    }
  }
}

async function dm(
  client: AllMiddlewareArgs['client'],
  userId: string,
  text: string,
  logger: AllMiddlewareArgs['logger'],
): Promise<void> {
  try {
    await client.chat.postMessage({ channel: userId, text });
  } catch (error) {
    logger.warn(`Could not tell ${userId} about their link request`, error);
  }
}
