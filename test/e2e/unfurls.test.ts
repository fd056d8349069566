import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  eventCallback,
  linkSharedEvent,
  unfurlButtonPayload,
  viewSubmissionPayload,
} from '../helpers/slack-payloads.js';
import {
  CATEGORY,
  eventually,
  REVIEWER,
  SEGMENT_ID,
  startTestApp,
  TEAM_ID,
  type TestApp,
} from '../helpers/test-app.js';

const LINK = `https://analytics.ytica.com/player/segment/${SEGMENT_ID}?t=42`;
const UNKNOWN = 'https://analytics.ytica.com/player/segment/a6f0c1d2-3b4c-4d5e-8f70-8192a3b4c5d6';

/** The Events API envelope Slack sends when someone posts links of the app's unfurl domains. */
function linkSharedEnvelope(links: string[], messageTs: string) {
  return eventCallback({
    teamId: TEAM_ID,
    eventId: `Ev${messageTs.replace('.', '')}`,
    event: linkSharedEvent({ channel: 'C0QA00001', userId: 'U0SUPER01', messageTs, links }),
  });
}

/** Who clicks a preview's Comment button in these tests, and where. */
const RITA_IN_QA = {
  user: { id: REVIEWER.userId, name: 'rita', teamId: TEAM_ID },
  team: { id: TEAM_ID, domain: 'acme' },
  channel: { id: 'C0QA00001', name: 'qa' },
};

describe('previews of call links', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => {
    await t.close();
  });
  beforeEach(async () => {
    await t.prisma.assessment.deleteMany();
  });

  it('unfurls a call link with the call from Flex and a Comment button that opens the form for it', async () => {
    t.slack.addMessage('C0QA00001', { ts: '1763634000.000100', user: 'U0SUPER01', text: `listen <${LINK}>` });
    const ack = await t.sender.event(
      linkSharedEnvelope([LINK, 'https://analytics.ytica.com/help'], '1763634000.000100'),
    );
    assert.equal(ack.status, 200);
    const unfurl = await t.slack.waitForCall('chat.unfurl');
    assert.equal(unfurl.result.ok, true, JSON.stringify(unfurl.result));
    assert.equal(unfurl.args.ts, '1763634000.000100');
    const unfurls = unfurl.args.unfurls as Record<string, { blocks: Array<Record<string, unknown>> }>;
    assert.deepEqual(Object.keys(unfurls), [LINK], 'only the call link is previewed');
    assert.match(JSON.stringify(unfurls[LINK]), /Alex Agent/);

    const [preview] = unfurls[LINK]?.blocks ?? [];
    const button = (preview as { accessory?: { value: string; text: unknown } } | undefined)?.accessory;
    assert.ok(button, 'the preview has a Comment button');
    const triggerId = t.slack.issueTriggerId();
    // What Slack sends for a button in an app's unfurl: the container is the unfurl attachment.
    const sent = await t.sender.interaction(
      unfurlButtonPayload({
        ...RITA_IN_QA,
        messageTs: '1763634000.000100',
        value: button.value,
        text: button.text,
        blocks: unfurls[LINK]?.blocks,
        triggerId,
      }),
    );
    assert.equal(sent.status, 200);
    const open = await t.slack.waitForCall('views.open', (c) => c.args.trigger_id === triggerId);
    const viewId = String((open.result.view as { id: string }).id);
    await t.slack.waitForCall('views.update', (c) => c.args.view_id === viewId);
    await t.sender.interaction(
      viewSubmissionPayload({
        view: t.slack.currentView(viewId),
        values: { category: CATEGORY.id, comment: 'From the preview' },
        user: { id: REVIEWER.userId, name: 'rita', teamId: TEAM_ID },
        team: { id: TEAM_ID, domain: 'acme' },
      }),
    );
    const row = await eventually(async () => {
      const found = await t.prisma.assessment.findFirstOrThrow();
      assert.equal(found.status, 'posted');
      return found;
    });
    assert.equal(row.source, 'unfurl');
    assert.equal(row.offsetSeconds, 42);
    const reply = await t.slack.waitForCall('chat.postMessage', (c) => c.args.thread_ts === '1763634000.000100');
    assert.equal(reply.args.channel, 'C0QA00001');
  });

  it('reads a link Slack sent HTML-escaped (&amp;) with its time, and answers under the URL exactly as sent', async () => {
    // Slack escapes &, < and > in what it sends (api.slack.com/reference/surfaces/formatting#escaping),
    // the URLs of link_shared included.
    const escaped = `https://analytics.ytica.com/player/segment/${SEGMENT_ID}?utm_source=slack&amp;t=1:23`;
    t.slack.addMessage('C0QA00001', { ts: '1763634200.000100', user: 'U0SUPER01', text: `listen <${escaped}>` });
    await t.sender.event(linkSharedEnvelope([escaped], '1763634200.000100'));
    const unfurl = await t.slack.waitForCall('chat.unfurl', (c) => c.args.ts === '1763634200.000100');
    assert.equal(unfurl.result.ok, true, JSON.stringify(unfurl.result));
    const unfurls = unfurl.args.unfurls as Record<string, { blocks: Array<Record<string, unknown>> }>;
    assert.deepEqual(Object.keys(unfurls), [escaped], 'keyed by the URL as the event sent it');
    assert.match(JSON.stringify(unfurls[escaped]), / · at 1:23/, 'the preview shows the time in the recording');
    const [preview] = unfurls[escaped]?.blocks ?? [];
    const button = (preview as { accessory?: { value: string; text: unknown } } | undefined)?.accessory;
    assert.ok(button, 'the preview has a Comment button');
    assert.equal(JSON.parse(button.value).o, 83);
    assert.equal(JSON.parse(button.value).u, escaped.replace('&amp;', '&'));

    const triggerId = t.slack.issueTriggerId();
    await t.sender.interaction(
      unfurlButtonPayload({
        ...RITA_IN_QA,
        messageTs: '1763634200.000100',
        value: button.value,
        text: button.text,
        blocks: unfurls[escaped]?.blocks,
        triggerId,
      }),
    );
    const open = await t.slack.waitForCall('views.open', (c) => c.args.trigger_id === triggerId);
    const viewId = String((open.result.view as { id: string }).id);
    await t.slack.waitForCall('views.update', (c) => c.args.view_id === viewId);
    await t.sender.interaction(
      viewSubmissionPayload({
        view: t.slack.currentView(viewId),
        values: { category: CATEGORY.id, comment: 'At the time in the link' },
        user: { id: REVIEWER.userId, name: 'rita', teamId: TEAM_ID },
        team: { id: TEAM_ID, domain: 'acme' },
      }),
    );
    const row = await eventually(async () => {
      const found = await t.prisma.assessment.findFirstOrThrow();
      assert.equal(found.status, 'posted');
      return found;
    });
    assert.equal(row.offsetSeconds, 83);
    const sent = t.flex.requests.find((r) => r.method === 'POST' && r.rawBody.includes('At%20the%20time'));
    assert.match(sent?.rawBody ?? '', /&Offset=83$/);
  });

  it('tells the clicker to press Comment again when Slack’s 3 seconds to open the form ran out', async () => {
    t.slack.failNext('views.open', { error: 'expired_trigger_id' });
    const sent = await t.sender.interaction(
      unfurlButtonPayload({
        ...RITA_IN_QA,
        messageTs: '1763634100.000100',
        value: JSON.stringify({ s: SEGMENT_ID, o: 42 }),
      }),
    );
    assert.equal(sent.status, 200);
    // A preview's button has no response_url: the clicker alone is told, in the channel.
    const told = await t.slack.waitForCall('chat.postEphemeral', (c) => c.args.user === REVIEWER.userId);
    assert.equal(told.result.ok, true, JSON.stringify(told.result));
    assert.equal(told.args.channel, 'C0QA00001');
    assert.match(String(told.args.text), /did not open: the app took longer than Slack allows/);
    assert.match(String(told.args.text), /Press Comment on the call’s preview again/);
    assert.equal(await t.prisma.assessment.count(), 0, 'nothing stored');
  });

  it('makes a plain preview when Flex does not know the call or does not answer, never an error', async () => {
    t.slack.addMessage('C0QA00001', { ts: '1763634100.000200', user: 'U0SUPER01', text: UNKNOWN });
    t.flex.failNext({ method: 'GET', status: 503, body: '' });
    await t.sender.event(linkSharedEnvelope([UNKNOWN], '1763634100.000200'));
    const unfurl = await t.slack.waitForCall('chat.unfurl', (c) => c.args.ts === '1763634100.000200');
    assert.equal(unfurl.result.ok, true);
    const text = JSON.stringify(unfurl.args.unfurls);
    assert.match(text, /A Flex Insights call/);
    assert.ok(!/error|503/i.test(text), '!/error|503/i.test(text)');
  });
});
