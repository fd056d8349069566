import type { Logger, webApi } from '@slack/bolt';
import { LINK_ASKS_PER_WINDOW, type LinkAsk } from '../../../domain/identities/link-requests.js';
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
  if (asked.kind === 'retargeted' && asked.request.adminMessages.length > 0) {
    // The admins' DMs now show the new email: updated where they are, no new ones.
    const message = linkRequestMessage(asked.request, asked.identity);
    for (const dm of asked.request.adminMessages) {
      await client.chat
        .update({ channel: dm.channel, ts: dm.ts, text: message.text, blocks: message.blocks })
        .catch((error: unknown) =>
          logger.warn(`Could not update link request ${asked.request.id} for an admin`, error),
        );
    }
  } else if (asked.kind === 'created' || asked.kind === 'retargeted') {
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
    case 'too_many':
      return `You have asked to be linked ${LINK_ASKS_PER_WINDOW} times within an hour, the most the app takes. Try again in an hour, or ask a QM admin directly.`;
    case 'no_admins':
      return `Nobody can approve this yet. ${adminsSentence([], workspaceId)}`;
    case 'no_identity':
    case 'taken':
    case 'waiting':
    case 'retargeted':
    case 'created':
      // One answer whatever the email is: it must not tell anyone which emails exist or are taken.
      return `Your request to be linked to ${escapeMrkdwn(asked.email)} is with the QM ${asked.admins.length === 1 ? 'admin' : 'admins'} (${asked.admins.map((id) => `<@${id}>`).join(', ')}). If a Flex identity with that email is free to link, ${asked.admins.length === 1 ? 'they' : 'one of them'} can approve it, and you get a message when they decide. A new \`/qm link\` replaces this request. If you hear nothing, check the address with them.`;
  }
}

export { whoAmIText };
