import type { Logger, webApi } from '@slack/bolt';
import type { LinkAsk } from '../../../domain/identities/link-requests.js';
import type { SlackUser } from '../../../domain/identities/slack-user.js';
import { adminsSentence } from '../../views/access-messages.js';
import { linkRequestMessage, type WhoAmI, whoAmIText } from '../../views/identity-views.js';
import { escapeMrkdwn } from '../../views/mrkdwn.js';
import type { ListenerServices } from '../services.js';

/** The mapping and role of a Slack user, as `/qm whoami` and the Home tab show it. */
export async function whoAmI(services: ListenerServices, slackUser: SlackUser): Promise<WhoAmI> {
  const identity = await services.people.identityOf(slackUser);
  if (!identity) return { identity: null, mayComment: false, viaGroup: false };
  const mayComment = await services.access.isReviewer(slackUser.userId, identity.role);
  return { identity, mayComment, viaGroup: identity.role === 'none' && mayComment };
}

/**
 * `/qm link <email>` and the link modal: records the request and DMs every admin an Approve / Reject
 * pair; returns what to tell the person who asked.
 */
export async function askToBeLinked(
  services: ListenerServices,
  client: webApi.WebClient,
  logger: Logger,
  slackUser: SlackUser,
  email: string,
): Promise<string> {
  const asked = await services.linkRequests.ask(slackUser, email);
  if (asked.kind === 'created') {
    const message = linkRequestMessage(asked.request, asked.identity);
    const sent: Array<{ channel: string; ts: string }> = [];
    for (const admin of asked.admins) {
      try {
        const posted = await client.chat.postMessage({ channel: admin, text: message.text, blocks: message.blocks });
        if (posted.channel && posted.ts) sent.push({ channel: posted.channel, ts: posted.ts });
      } catch (error) {
        logger.warn(`Could not send link request ${asked.request.id} to admin ${admin}`, error);
      }
    }
    await services.linkRequests.recordAdminMessages(asked.request.id, sent);
    if (sent.length === 0) {
      return `Your request is saved, but no QM admin could be reached in Slack. ${adminsSentence(asked.admins, slackUser.workspaceId)}`;
    }
  }
  return linkAskText(asked, slackUser.workspaceId);
}

function linkAskText(asked: LinkAsk, workspaceId: string | undefined): string {
  switch (asked.kind) {
    case 'invalid_email':
      return `“${escapeMrkdwn(asked.email)}” is not an email address. Try \`/qm link you@example.com\`.`;
    case 'already_linked':
      return `You are already linked to the Flex identity ${escapeMrkdwn(asked.identity.email)}. See \`/qm whoami\`.`;
    case 'no_identity':
      return `No Flex identity has the email ${escapeMrkdwn(asked.email)}. Check the address (it is the one your Flex user has), or ask a QM admin to add you. ${adminsSentence(asked.admins, workspaceId)}`;
    case 'taken':
      return `The Flex identity ${escapeMrkdwn(asked.identity.email)} is already linked to another Slack user. If that is wrong, ask a QM admin. ${adminsSentence(asked.admins, workspaceId)}`;
    case 'no_admins':
      return `Nobody can approve this yet. ${adminsSentence([], workspaceId)}`;
    case 'waiting':
      return `Your request to be linked to ${escapeMrkdwn(asked.identity.email)} is already waiting for a QM admin (${asked.admins.map((id) => `<@${id}>`).join(', ')}). You get a message when one decides.`;
    case 'created':
      return `Asked the QM ${asked.admins.length === 1 ? 'admin' : 'admins'} (${asked.admins.map((id) => `<@${id}>`).join(', ')}) to link you to the Flex identity ${escapeMrkdwn(asked.identity.email)}. You get a message when one decides.`;
  }
}

export { whoAmIText };
