import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { request } from 'undici';
import { COMMENT_BLOCKS } from '../../src/slack/views/block-ids.js';
import { nodeArgsToRun } from '../helpers/app-build.js';
import { commentWithQm, modalRefined, openModalWithQm, qmCommand, submitModal } from '../helpers/reviewer-story.js';
import { viewSubmissionPayload } from '../helpers/slack-payloads.js';
import {
  CATEGORY,
  eventually,
  REVIEWER,
  SEGMENT_ID,
  SIGNING_SECRET,
  startTestApp,
  TEAM_ID,
  type TestApp,
} from '../helpers/test-app.js';

describe('the Slack surface', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    t.slack.addChannel({ id: 'C0OUTSIDE', name: 'escalations', isMember: false });
  });
  after(async () => {
    await t.close();
  });
  beforeEach(async () => {
    await t.prisma.assessment.deleteMany();
    t.flex.reset();
  });

  const qm = (text: string) => qmCommand(t, text);
  const commentVia = (text: string) => commentWithQm(t, text, { category: CATEGORY.id, comment: 'In the thread' });

  it('confirms in the thread of a Slack message named in the command', async () => {
    const link =
      'https://acme.slack.com/archives/C0QA00001/p1763632800000200?thread_ts=1763632700.000100&cid=C0QA00001';
    await commentVia(`${SEGMENT_ID} ${link}`);
    const reply = await t.slack.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0QA00001');
    assert.equal(reply.args.thread_ts, '1763632700.000100');
    assert.equal(reply.result.ok, true);
    assert.match(String(reply.args.text), new RegExp(`<@${REVIEWER.userId}> posted a QM comment`));
    const row = await t.prisma.assessment.findFirstOrThrow();
    assert.equal(row.slackMessageTs, '1763632800.000200');
    assert.equal(row.slackThreadTs, '1763632700.000100');
  });

  it('confirms privately, with how to invite the bot, when it is not in that channel', async () => {
    const link = 'https://acme.slack.com/archives/C0OUTSIDE/p1763632800000300';
    const { responseUrl } = await commentVia(`${link} ${SEGMENT_ID}`);
    const attempt = await t.slack.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0OUTSIDE');
    assert.equal(attempt.result.error, 'not_in_channel');
    const message = await t.slack.waitForResponse(responseUrl);
    assert.match(JSON.stringify(message.body), /posted a QM comment[\s\S]*Invite me with `\/invite @Flex QM`/);
    assert.equal((await t.prisma.assessment.findFirstOrThrow()).status, 'posted');
  });

  it('falls back to a direct message when the command’s response_url no longer works', async () => {
    const command = qm(SEGMENT_ID);
    // Slack allows five posts to a response_url; use them up.
    for (let i = 0; i < 5; i += 1) {
      await request(String(command.response_url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: `filler ${i}` }),
      }).then((r) => r.body.text());
    }
    await t.sender.slashCommand(command);
    const open = await t.slack.waitForCall('views.open', (c) => c.args.trigger_id === command.trigger_id);
    const viewId = String((open.result.view as { id: string }).id);
    await t.slack.waitForCall('views.update', (c) => c.args.view_id === viewId);
    await t.sender.interaction(
      viewSubmissionPayload({
        view: t.slack.currentView(viewId),
        values: { category: CATEGORY.id, comment: 'DM me' },
        user: { id: REVIEWER.userId, name: 'rita', teamId: TEAM_ID },
        team: { id: TEAM_ID, domain: 'acme' },
      }),
    );
    const dm = await t.slack.waitForCall('chat.postMessage', (c) => c.args.channel === REVIEWER.userId);
    assert.equal(dm.result.ok, true);
    assert.match(String(dm.args.text), /posted a QM comment/);
  });

  it('refuses requests with a bad signature or a stale timestamp, and acts on none of them', async () => {
    const before = t.slack.calls().length;
    const forged = await t.sender.slashCommand(qm(SEGMENT_ID), { signingSecret: 'not-the-secret' });
    assert.equal(forged.status, 401);
    const stale = await t.sender.slashCommand(qm(SEGMENT_ID), {
      timestampSeconds: Math.floor(Date.now() / 1000) - 301,
    });
    assert.equal(stale.status, 401);
    const unsigned = await t.sender.raw(new URLSearchParams(qm(SEGMENT_ID)).toString(), {
      'content-type': 'application/x-www-form-urlencoded',
    });
    assert.equal(unsigned.status, 401);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(t.slack.calls().length, before, 'no Slack API call was made');
    assert.ok(SIGNING_SECRET, 'SIGNING_SECRET');
  });

  it('says there is nothing to choose from when no category exists yet', async () => {
    await t.prisma.category.updateMany({ data: { active: false } });
    await t.app.catalog.refresh();
    try {
      const ack = await t.sender.slashCommand(qm(''));
      assert.match(
        String((ack.json as { text: string }).text),
        /no QM comment categories yet.*npm run categories -- sync/,
      );
    } finally {
      await t.prisma.category.updateMany({ data: { active: true } });
      await t.app.catalog.refresh();
    }
  });

  it('answers /healthz with 200 while the database answers', async () => {
    const response = await request(`${t.baseUrl}/healthz`);
    assert.equal(response.statusCode, 200);
    assert.deepEqual(await response.body.json(), { status: 'ok', database: 'up' });
  });
});

describe('health when the database is gone', () => {
  it('answers /healthz with 503', async () => {
    const t = await startTestApp();
    try {
      // The volume holding the database (or the database server's database) goes away under the running app.
      await t.loseDatabase();
      const response = await eventually(async () => {
        const r = await request(`${t.baseUrl}/healthz`);
        const body = await r.body.json();
        assert.equal(r.statusCode, 503);
        return body;
      });
      assert.deepEqual(response, { status: 'unavailable', database: 'down' });
    } finally {
      await t.close();
    }
  });
});

describe('submitting while the database is gone', () => {
  it('answers in the form, keeping what was typed, and sends nothing to Flex', async () => {
    const t = await startTestApp();
    try {
      const { viewId } = await openModalWithQm(t, SEGMENT_ID);
      await modalRefined(t, viewId);
      await t.loseDatabase();
      const answer = await submitModal(t, viewId, { category: CATEGORY.id, comment: 'Kept safe' });
      assert.equal(answer.status, 200);
      const json = answer.json as { response_action: string; errors: Record<string, string> };
      assert.equal(json.response_action, 'errors', 'the modal stays open with the comment in it');
      assert.match(json.errors[COMMENT_BLOCKS.comment.blockId] ?? '', /could not be saved.*Submit again/);
      assert.equal(t.flex.comments.length, 0);
    } finally {
      await t.close();
    }
  });
});

describe('starting without settings', () => {
  it('exits non-zero and names every missing setting', async () => {
    const result = await new Promise<{ code: number; stderr: string }>((resolve) => {
      // An empty folder, so no developer's .env is read.
      const cwd = mkdtempSync(join(tmpdir(), 'flex-qm-start-'));
      const child = spawn(process.execPath, nodeArgsToRun('src/main.ts'), {
        env: { PATH: process.env.PATH ?? '' },
        cwd,
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.on('close', (code) => {
        rmSync(cwd, { recursive: true, force: true });
        resolve({ code: code ?? -1, stderr });
      });
    });
    assert.equal(result.code, 1);
    for (const name of ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'TWILIO_ACCOUNT_SID']) {
      assert.match(result.stderr, new RegExp(`- ${name} is required`));
    }
  });
});
