import type { BlockAction, ButtonAction, Logger, webApi } from '@slack/bolt';
import { z } from 'zod';
import { MAX_OFFSET_SECONDS } from '../../domain/calls/offset.js';
import { parseJsonText } from '../../support/json-text.js';

/** What a call preview's buttons carry (src/slack/views/call-unfurl.ts writes it), read back strictly. */
const buttonValue = z.object({
  s: z.string().regex(/^[0-9a-f-]{36}$/),
  o: z.number().nonnegative().max(MAX_OFFSET_SECONDS).optional(),
  a: z.string().max(255).optional(),
  u: z.string().max(2000).optional(),
});
const container = z.object({ message_ts: z.string().optional(), channel_id: z.string().optional() }).loose();

/** A click on a call preview's Comment or Score button: the call, and where the preview is. */
export interface PreviewButtonClick {
  call: { segmentId: string; offsetSeconds?: number; agentId?: string; callUrl?: string };
  /** The channel of the message holding the preview; a button in a preview has no response_url. */
  channelId?: string;
  /** The preview's message and its thread, where the outcome is answered. */
  thread?: { channelId: string; messageTs: string; threadTs: string };
}

/** The click as the app wrote its button, or undefined when the value is not one the app wrote. */
export function readPreviewButtonClick(
  body: BlockAction<ButtonAction>,
  value: string | undefined,
): PreviewButtonClick | undefined {
  const parsed = buttonValue.safeParse(parseJsonText(value));
  if (!parsed.success) return undefined;
  const where = container.safeParse(body.container);
  const channelId = body.channel?.id ?? (where.success ? where.data.channel_id : undefined);
  const messageTs = where.success ? where.data.message_ts : undefined;
  const threadTs = typeof body.message?.thread_ts === 'string' ? body.message.thread_ts : messageTs;
  const { s, o, a, u } = parsed.data;
  return {
    call: {
      segmentId: s,
      ...(o === undefined ? {} : { offsetSeconds: o }),
      ...(a ? { agentId: a } : {}),
      ...(u ? { callUrl: u } : {}),
    },
    ...(channelId ? { channelId } : {}),
    ...(channelId && messageTs && threadTs ? { thread: { channelId, messageTs, threadTs } } : {}),
  };
}

/**
 * Tells the person who clicked a button in a message (a call preview has no response_url) something only
 * they see, in that channel; nothing when the channel is not known. A failure is logged as `failed`.
 */
export async function tellClicker(
  client: webApi.WebClient,
  logger: Logger,
  where: { channelId: string | undefined; userId: string },
  text: string,
  failed: string,
): Promise<void> {
  if (!where.channelId) return;
  await client.chat
    .postEphemeral({ channel: where.channelId, user: where.userId, text })
    .catch((error: unknown) => logger.warn({ err: error }, failed));
}
