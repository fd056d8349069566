import type { webApi } from '@slack/bolt';
import { z } from 'zod';
import type { DigestOutbox } from '../../domain/digests/digest-runner.js';
import { escapeMrkdwn } from '../views/mrkdwn.js';
import { digestMessage, summaryMessage } from './digest-blocks.js';
import { uploadAndShare } from './file-upload.js';

const postedSchema = z.object({ ok: z.literal(true), channel: z.string(), ts: z.string() }).loose();

/** The digests' messages and charts, each with the client of its workspace's bot token. */
export function slackDigestOutbox(clients: {
  of(workspaceId: string | undefined): Promise<webApi.WebClient>;
}): DigestOutbox {
  const clientOf = (workspaceId: string) => clients.of(workspaceId === '' ? undefined : workspaceId);
  const post = async (client: webApi.WebClient, channel: string, message: { text: string; blocks: unknown[] }) => {
    const answer = postedSchema.parse(
      await client.chat.postMessage({
        channel,
        text: message.text,
        blocks: message.blocks as never,
        unfurl_links: false,
        unfurl_media: false,
      }),
    );
    return { channelId: answer.channel, ts: answer.ts };
  };
  return {
    async postDigest(workspaceId, channelId, digest, view) {
      return post(await clientOf(workspaceId), channelId, digestMessage(digest, view));
    },
    async postSummary(workspaceId, slackUserId, agent, periodLabel) {
      // chat.postMessage with a user id as the channel posts in the app's DM with them.
      return post(await clientOf(workspaceId), slackUserId, summaryMessage(agent, periodLabel));
    },
    async shareChart(workspaceId, channelId, chart) {
      return uploadAndShare(
        await clientOf(workspaceId),
        { bytes: chart.png, filename: 'qm-week.png', title: chart.title, altText: chart.altText },
        { channelId, initialComment: escapeMrkdwn(chart.comment) },
      );
    },
  };
}
