import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { webApi } from '@slack/bolt';
import { uploadAndShare } from '../../src/slack/digests/file-upload.js';
import { FakeSlackApi } from './fake-slack-api.js';

const TOKEN = 'xoxb-files-test';
const CHANNEL = { id: 'C0FILES01', name: 'files' };
const OUTSIDE = { id: 'C0OUTSIDE', name: 'outside', isMember: false };

const quietLogger: webApi.Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => webApi.LogLevel.ERROR,
  setName: () => undefined,
};

describe("the fake Slack's file upload, as Slack documents it", () => {
  let fake: FakeSlackApi;
  let client: webApi.WebClient;
  /** Slack's answer, ok or not (WebClient throws on `ok: false`; its error carries the answer as `data`). */
  const call = async (method: string, args: Record<string, unknown>): Promise<Record<string, unknown>> =>
    client
      .apiCall(method, args)
      .then((answer) => answer as unknown as Record<string, unknown>)
      .catch((error: { data?: Record<string, unknown> }) => error.data ?? {});
  before(async () => {
    fake = await FakeSlackApi.start({ botToken: TOKEN, scopes: ['chat:write', 'files:write'] });
    fake.addChannel(CHANNEL);
    fake.addChannel(OUTSIDE);
    client = new webApi.WebClient(TOKEN, {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
      logger: quietLogger,
    });
  });
  after(async () => {
    await fake.close();
  });

  it('reserves, takes the bytes at the upload URL, then shares the file in the channel', async () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 255]);
    const id = await uploadAndShare(
      client,
      { bytes, filename: 'week.png', title: 'The week', altText: 'A chart' },
      { channelId: CHANNEL.id, initialComment: 'The chart' },
    );
    const [file] = fake.files().filter((f) => f.id === id);
    assert.deepEqual(file?.bytes, bytes, 'binary bytes arrive unchanged');
    assert.equal(file?.sharedIn, CHANNEL.id);
    assert.equal(file?.altText, 'A chart');
    const shared = fake.messagesIn(CHANNEL.id).at(-1);
    assert.equal(shared?.text, 'The chart');
    assert.deepEqual(shared?.files, [{ id, name: 'week.png', title: 'The week' }]);
  });

  it('refuses what Slack refuses when a file is reserved', async () => {
    assert.equal((await call('files.getUploadURLExternal', { filename: 'a.png' })).error, 'invalid_arguments');
    assert.equal(
      (await call('files.getUploadURLExternal', { filename: 'a.png', length: 0 })).error,
      'missing_argument',
    );
    assert.equal(
      (await call('files.getUploadURLExternal', { filename: 'a.png', length: 3, alt_txt: 'x'.repeat(1001) })).error,
      'alt_txt_too_large',
    );
    const json = await fetch(`${fake.apiUrl}files.getUploadURLExternal`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ filename: 'a.png', length: 3 }),
    });
    assert.equal(((await json.json()) as { error?: string }).error, 'invalid_arguments', 'form bodies only');
  });

  it('takes multipart bodies at the upload URL, and refuses bytes of another length or a second upload', async () => {
    const reserved = (await call('files.getUploadURLExternal', { filename: 'b.png', length: 4 })) as unknown as {
      upload_url: string;
      file_id: string;
    };
    const wrong = await fetch(reserved.upload_url, { method: 'POST', body: new Uint8Array([1, 2, 3]) });
    assert.equal(wrong.status, 400);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array([9, 8, 7, 6])]), 'b.png');
    const right = await fetch(reserved.upload_url, { method: 'POST', body: form });
    assert.equal(right.status, 200);
    assert.match(await right.text(), /^OK/);
    assert.deepEqual([...(fake.files().find((f) => f.id === reserved.file_id)?.bytes ?? [])], [9, 8, 7, 6]);
    const again = await fetch(reserved.upload_url, { method: 'POST', body: new Uint8Array([1, 2, 3, 4]) });
    assert.equal(again.status, 404);
  });

  it('shares only files whose bytes arrived, once, where the bot may post', async () => {
    const pending = (await call('files.getUploadURLExternal', { filename: 'c.png', length: 2 })) as unknown as {
      file_id: string;
    };
    const files = [{ id: pending.file_id, title: 'c' }];
    assert.equal(
      (await call('files.completeUploadExternal', { files, channel_id: CHANNEL.id })).error,
      'file_not_found',
    );
    assert.equal((await call('files.completeUploadExternal', { channel_id: CHANNEL.id })).error, 'invalid_arguments');
    const reserved = (await call('files.getUploadURLExternal', { filename: 'd.png', length: 2 })) as unknown as {
      upload_url: string;
      file_id: string;
    };
    await fetch(reserved.upload_url, { method: 'POST', body: new Uint8Array([1, 2]) });
    const done = [{ id: reserved.file_id }];
    assert.equal(
      (await call('files.completeUploadExternal', { files: done, channel_id: OUTSIDE.id })).error,
      'not_in_channel',
    );
    assert.equal(
      (await call('files.completeUploadExternal', { files: done, channel_id: 'C0NOWHERE' })).error,
      'channel_not_found',
    );
    assert.equal((await call('files.completeUploadExternal', { files: done, channel_id: CHANNEL.id })).ok, true);
    assert.equal(
      (await call('files.completeUploadExternal', { files: done, channel_id: CHANNEL.id })).error,
      'file_not_found',
    );
  });

  it('needs files:write', async () => {
    const other = await FakeSlackApi.start({ botToken: TOKEN, scopes: ['chat:write'] });
    try {
      const bare = new webApi.WebClient(TOKEN, {
        slackApiUrl: other.apiUrl,
        retryConfig: { retries: 0 },
        logger: quietLogger,
      });
      const refused: Record<string, unknown> = await bare
        .apiCall('files.getUploadURLExternal', { filename: 'a.png', length: 1 })
        .then((answer) => answer as unknown as Record<string, unknown>)
        .catch((error: { data?: Record<string, unknown> }) => error.data ?? {});
      assert.equal(refused.error, 'missing_scope');
      assert.equal(refused.needed, 'files:write');
    } finally {
      await other.close();
    }
  });
});
