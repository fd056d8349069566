import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { readCallUrl } from '../../../domain/calls/call-links.js';
import { unescapeSlackText } from '../../../domain/calls/slack-escaping.js';
import { buildCallUnfurl } from '../../views/call-unfurl.js';
import type { ListenerServices } from '../services.js';

const MAX_LINKS = 5;

/**
 * Previews call links posted where the app is: the call's context from Flex and a Comment button.
 * When Flex cannot say, the preview is plain; nothing ever shows an error in the channel.
 */
export function linkShared(services: ListenerServices) {
  return async ({
    event,
    client,
    context,
    logger,
  }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'link_shared'>): Promise<void> => {
    const scoring = services.scoring?.offered(services.workspaces.keyOf(context)) ?? false;
    const unfurls: Record<string, { blocks: ReturnType<typeof buildCallUnfurl>['blocks'] }> = {};
    for (const link of event.links.slice(0, MAX_LINKS)) {
      // Slack sends the URL HTML-escaped (`&amp;`): read it unescaped, answer under the key exactly as sent.
      const call = readCallUrl(unescapeSlackText(link.url), services.callLinkPatterns);
      if (!call) continue;
      const [found, commentCount] = await Promise.all([
        services.calls.findCall(call.segmentId),
        services.history.countComments(call.segmentId),
      ]);
      unfurls[link.url] = buildCallUnfurl(call, found, commentCount, { scoring });
    }
    if (Object.keys(unfurls).length === 0) return;
    try {
      await client.chat.unfurl({ channel: event.channel, ts: event.message_ts, unfurls });
    } catch (error) {
      logger.warn({ err: error }, `Could not preview call links in ${event.channel}`);
    }
  };
}
