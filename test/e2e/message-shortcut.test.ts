import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { RecordedCall } from '../fakes/fake-slack-api.js';
import { sealedMetadataOf } from '../helpers/sealed-metadata.js';
import { messageShortcutPayload, viewSubmissionPayload } from '../helpers/slack-payloads.js';
import {
  AGENT_ID,
  CATEGORY,
  eventually,
  REVIEWER,
  SEGMENT_ID,
  startTestApp,
  TEAM_ID,
  type TestApp,
} from '../helpers/test-app.js';

const OTHER_SEGMENT = 'a6f0c1d2-3b4c-4d5e-8f70-8192a3b4c5d6';
const LINK = `https://analytics.ytica.com/player/segment/${SEGMENT_ID}?t=83`;
const user = { id: REVIEWER.userId, name: 'rita', teamId: TEAM_ID };
const team = { id: TEAM_ID, domain: 'acme' };

describe('the “Comment on this call” message shortcut', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => {
    await t.close();
  });
  beforeEach(async () => {
    await t.prisma.assessment.deleteMany();
    t.flex.reset();
  });

  /** The reviewer runs the shortcut on a message in #qa; returns the modal Slack opened. */
  async function shortcutOn(message: { ts: string; text?: string; thread_ts?: string; blocks?: unknown[] }) {
    const triggerId = t.slack.issueTriggerId();
    const ack = await t.sender.interaction(
      messageShortcutPayload({
        callbackId: 'comment_on_call',
        triggerId,
        responseUrl: t.slack.newResponseUrl(),
        user,
        team,
        channel: { id: 'C0QA00001', name: 'qa' },
        message: { user: 'U0SUPER01', ...message },
      }),
    );
    assert.equal(ack.status, 200);
    const open: RecordedCall = await t.slack.waitForCall('views.open', (c) => c.args.trigger_id === triggerId);
    assert.equal(open.result.ok, true, JSON.stringify(open.result));
    return String((open.result.view as { id: string }).id);
  }

  const submitView = (viewId: string, values: Record<string, string | null>) =>
    t.sender.interaction(viewSubmissionPayload({ view: t.slack.currentView(viewId), values, user, team }));

  it('opens the form filled from the message’s one call link and confirms in the message’s thread', async () => {
    const viewId = await shortcutOn({ ts: '1763632800.000500', text: `can someone listen? <${LINK}|recording>` });
    await t.slack.waitForCall('views.update', (c) => c.args.view_id === viewId);
    const view = JSON.stringify(t.slack.currentView(viewId));
    assert.match(view, /Alex Agent/);
    assert.match(view, /"initial_value":"1:23"/);
    await submitView(viewId, { category: CATEGORY.id, comment: 'Good discovery questions' });

    const reply = await t.slack.waitForCall('chat.postMessage', (c) => c.args.channel === 'C0QA00001');
    assert.equal(reply.args.thread_ts, '1763632800.000500', 'a top-level message is its own thread root');
    assert.equal(reply.result.ok, true);
    const confirmation = JSON.stringify(reply.args.blocks);
    assert.match(confirmation, new RegExp(`<@${REVIEWER.userId}> posted a QM comment`));
    assert.match(confirmation, /Good discovery questions/);
    assert.match(confirmation, /Good for Training\* · at 1:23/);
    assert.match(confirmation, /\?t=83\|Open the call at 1:23>/);
    const row = await eventually(async () => {
      const found = await t.prisma.assessment.findFirstOrThrow();
      assert.equal(found.status, 'posted');
      return found;
    });
    assert.equal(row.source, 'shortcut');
    assert.equal(row.agentId, AGENT_ID);
    assert.equal(row.offsetSeconds, 83);
    assert.equal(row.callUrl, LINK);
    assert.equal(row.slackMessageTs, '1763632800.000500');
  });

  it('replies in the thread’s root when the message is itself a reply', async () => {
    const viewId = await shortcutOn({ ts: '1763632900.000700', thread_ts: '1763632800.000600', text: SEGMENT_ID });
    await t.slack.waitForCall('views.update', (c) => c.args.view_id === viewId);
    await submitView(viewId, { category: CATEGORY.id, comment: 'In a thread' });
    const reply = await t.slack.waitForCall('chat.postMessage', (c) => c.args.thread_ts === '1763632800.000600');
    assert.equal(reply.args.channel, 'C0QA00001');
  });

  it('asks which call first when the message links several', async () => {
    const viewId = await shortcutOn({
      ts: '1763633000.000800',
      text: `compare ${LINK} with <https://analytics.ytica.com/player/segment/${OTHER_SEGMENT}|this one>`,
    });
    const chooser = t.slack.currentView(viewId);
    assert.equal(chooser.callback_id, 'qm_choose_call');
    assert.match(JSON.stringify(chooser), /links 2 calls/);
    const next = await submitView(viewId, { call: SEGMENT_ID });
    const body = next.json as { response_action: string; view: { callback_id: string; private_metadata: string } };
    assert.equal(body.response_action, 'update');
    assert.equal(body.view.callback_id, 'qm_comment');
    assert.equal(sealedMetadataOf(body.view.private_metadata).segmentId, SEGMENT_ID);
    assert.equal(sealedMetadataOf(body.view.private_metadata).offsetSeconds, 83);
    const refined = await t.slack.waitForCall('views.update', (c) => c.args.view_id === viewId);
    assert.match(JSON.stringify(refined.args.view), /Alex Agent/);
  });

  it('explains what counts as a call link when there is none, and still offers the form', async () => {
    const viewId = await shortcutOn({ ts: '1763633100.000900', text: 'lunch at noon?' });
    const notice = t.slack.currentView(viewId);
    assert.equal(notice.callback_id, 'qm_no_call');
    assert.match(JSON.stringify(notice), /I found no call in this message/);
    const next = await submitView(viewId, {});
    const body = next.json as {
      view: { callback_id: string; blocks: Array<{ block_id?: string }>; private_metadata: string };
    };
    assert.equal(body.view.callback_id, 'qm_comment');
    assert.ok(
      body.view.blocks.some((b) => b.block_id === 'segment'),
      'the form asks for the call',
    );
    assert.equal(
      (sealedMetadataOf(body.view.private_metadata).thread as { messageTs: string }).messageTs,
      '1763633100.000900',
    );
  });

  it('tells the reviewer to use the shortcut again when Slack’s 3 seconds to open the form ran out', async () => {
    t.slack.failNext('views.open', { error: 'expired_trigger_id' });
    const responseUrl = t.slack.newResponseUrl();
    const ack = await t.sender.interaction(
      messageShortcutPayload({
        callbackId: 'comment_on_call',
        triggerId: t.slack.issueTriggerId(),
        responseUrl,
        user,
        team,
        channel: { id: 'C0QA00001', name: 'qa' },
        message: { user: 'U0SUPER01', ts: '1763633200.000100', text: `listen <${LINK}>` },
      }),
    );
    assert.equal(ack.status, 200);
    const told = await t.slack.waitForResponse(responseUrl);
    const body = told.body as { response_type?: string; text?: string };
    assert.equal(body.response_type, 'ephemeral', 'only the reviewer sees it');
    assert.match(body.text ?? '', /did not open: the app took longer than Slack allows/);
    assert.match(body.text ?? '', /Use “Comment on this call” on the message again/);
    assert.equal(await t.prisma.assessment.count(), 0, 'nothing stored');
  });
});
