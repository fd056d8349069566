import type { webApi } from '@slack/bolt';
import { z } from 'zod';

/**
 * Slack's current way to share a file (files.upload is retired): three steps.
 * 1. files.getUploadURLExternal with `filename` and `length` (bytes) answers `upload_url` and `file_id`.
 * 2. The bytes are POSTed to `upload_url` (raw, or multipart); Slack answers 200 when it has them.
 * 3. files.completeUploadExternal with `files` ([{id, title}]) and `channel_id` (+ `initial_comment`,
 *    `thread_ts`) shares it; without a channel the file stays private.
 * https://docs.slack.dev/reference/methods/files.getUploadURLExternal
 * https://docs.slack.dev/reference/methods/files.completeUploadExternal
 * Both need the bot scope files:write.
 */
const reservedSchema = z.object({ ok: z.literal(true), upload_url: z.url(), file_id: z.string().min(1) }).loose();
const completedSchema = z
  .object({ ok: z.literal(true), files: z.array(z.object({ id: z.string() }).loose()).min(1) })
  .loose();

export class FileUploadError extends Error {
  readonly code = 'file_upload_failed';
}

export interface FileToShare {
  bytes: Buffer;
  filename: string;
  title: string;
  /** For screen readers (Slack's `alt_txt`, at most 1000 characters). */
  altText: string;
}

export interface ShareTarget {
  channelId: string;
  initialComment?: string;
  threadTs?: string;
}

export async function uploadAndShare(
  client: webApi.WebClient,
  file: FileToShare,
  target: ShareTarget,
  post: typeof fetch = fetch,
): Promise<string> {
  // apiCall, not client.files.getUploadURLExternal: Slack's argument is `alt_txt`, the SDK's type says `alt_text`.
  const reserved = reservedSchema.safeParse(
    await client.apiCall('files.getUploadURLExternal', {
      filename: file.filename,
      length: file.bytes.length,
      alt_txt: [...file.altText].slice(0, 1000).join(''),
    }),
  );
  if (!reserved.success) throw new FileUploadError('Slack did not give an upload URL for the chart.');
  const { upload_url: uploadUrl, file_id: fileId } = reserved.data;
  const response = await post(uploadUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: new Uint8Array(file.bytes),
    signal: AbortSignal.timeout(30_000),
  });
  await response.arrayBuffer().catch(() => undefined);
  if (response.status !== 200) {
    throw new FileUploadError(`Slack refused the chart's bytes (HTTP ${response.status}).`);
  }
  const completed = completedSchema.safeParse(
    await client.apiCall('files.completeUploadExternal', {
      files: [{ id: fileId, title: file.title }],
      channel_id: target.channelId,
      ...(target.initialComment ? { initial_comment: target.initialComment } : {}),
      ...(target.threadTs ? { thread_ts: target.threadTs } : {}),
    }),
  );
  if (!completed.success) throw new FileUploadError('Slack did not confirm sharing the chart.');
  return fileId;
}
