import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { responseUrlAllowed } from '../../src/slack/notifications/response-url.js';
import { modalRefined, openModalWithQm } from '../helpers/reviewer-story.js';
import { sealedMetadataOf } from '../helpers/sealed-metadata.js';
import { viewSubmissionPayload } from '../helpers/slack-payloads.js';
import { CATEGORY, REVIEWER, SEGMENT_ID, startTestApp, TEAM_ID, type TestApp } from '../helpers/test-app.js';

const COMMENTS_PATH = '/v1/Insights/QualityManagement/Assessments/Comments';

/** A server somewhere inside the network that must never hear from the app. */
async function startBystander(): Promise<{ url: string; hits: string[]; server: Server }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.writeHead(200).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/internal/admin`, hits, server };
}

describe('private_metadata: sealed, bounded, and response_urls only on Slack’s hosts', () => {
  let t: TestApp;
  let bystander: Awaited<ReturnType<typeof startBystander>>;
  before(async () => {
    t = await startTestApp();
    bystander = await startBystander();
  });
  after(async () => {
    await t.close();
    await new Promise((resolve) => bystander.server.close(resolve));
  });
  beforeEach(async () => {
    t.flex.reset();
    bystander.hits.length = 0;
  });

  /** Opens the form with `/qm <call>`, then submits it with private_metadata replaced by `forge(current)`. */
  async function submitForged(forge: (current: string) => string) {
    const { viewId } = await openModalWithQm(t, SEGMENT_ID);
    await modalRefined(t, viewId);
    const view = t.slack.currentView(viewId) as Record<string, unknown>;
    const forged = { ...view, private_metadata: forge(String(view.private_metadata)) };
    const result = await t.sender.interaction(
      viewSubmissionPayload({
        view: forged,
        values: { category: CATEGORY.id, comment: 'Forged metadata' },
        user: { id: REVIEWER.userId, name: 'rita', teamId: TEAM_ID },
        team: { id: TEAM_ID, domain: 'acme' },
      }),
    );
    return { result, viewId };
  }

  /** The submission was refused in the form, and nothing was stored, sent to Flex or to the bystander. */
  async function assertRefused(result: { status: number; json: unknown }) {
    assert.equal(result.status, 200);
    const body = result.json as { response_action?: string; errors?: Record<string, string> };
    assert.equal(body.response_action, 'errors', JSON.stringify(body));
    assert.match(Object.values(body.errors ?? {}).join(' '), /cannot vouch for what it was opened with/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(await t.prisma.assessment.count({ where: { comment: 'Forged metadata' } }), 0, 'nothing stored');
    assert.equal(t.flex.requests.filter((r) => r.method === 'POST' && r.path === COMMENTS_PATH).length, 0);
    assert.deepEqual(bystander.hits, [], 'the app sent nothing to a host that is not Slack');
  }

  it('refuses metadata written by the sender: a response_url inside the network (SSRF)', async () => {
    const { result } = await submitForged((current) =>
      JSON.stringify({ ...sealedMetadataOf(current), responseUrl: bystander.url }),
    );
    await assertRefused(result);
  });

  it('refuses a negative offset, another channel’s thread and a 950 kB call URL, sealed or not', async () => {
    const forgeries: Array<(metadata: Record<string, unknown>) => Record<string, unknown>> = [
      (m) => ({ ...m, offsetSeconds: -5 }),
      (m) => ({
        ...m,
        thread: { channelId: 'C0OTHER01', messageTs: '1763632800.000200', threadTs: '1763632800.000200' },
      }),
      (m) => ({ ...m, callUrl: `https://flex.twilio.com/${'a'.repeat(950_000)}` }),
    ];
    for (const forge of forgeries) {
      const { result } = await submitForged((current) => JSON.stringify(forge(sealedMetadataOf(current))));
      await assertRefused(result);
    }
  });

  it('refuses sealed metadata changed after sealing (the seal no longer matches)', async () => {
    const { result } = await submitForged((current) => current.replace('"v":1', '"v":1,"offsetSeconds":0'));
    await assertRefused(result);
    const { result: truncated } = await submitForged((current) => current.slice(0, -2));
    await assertRefused(truncated);
  });

  it('takes the form as the app sealed it', async () => {
    const { result } = await submitForged((current) => current);
    assert.equal(result.status, 200);
    assert.equal((result.json as { response_action?: string }).response_action, 'update');
    assert.equal(await t.prisma.assessment.count({ where: { comment: 'Forged metadata' } }), 1);
  });

  it('accepts response_urls only on the configured origins', () => {
    const slack = ['https://hooks.slack.com', 'https://hooks.slack-gov.com'];
    assert.ok(
      responseUrlAllowed('https://hooks.slack.com/commands/T1/2/abc', slack),
      "responseUrlAllowed('https://hooks.slack.com/commands/T1/2/abc', slack)",
    );
    assert.ok(
      responseUrlAllowed('https://hooks.slack-gov.com/actions/T1/2/abc', slack),
      "responseUrlAllowed('https://hooks.slack-gov.com/actions/T1/2/abc', slack)",
    );
    for (const url of [
      'http://hooks.slack.com/commands/T1/2/abc',
      'https://hooks.slack.com.evil.example/commands',
      'https://evil.example/https://hooks.slack.com/',
      'https://user:pw@hooks.slack.com/commands',
      'https://hooks.slack.com:8443/commands',
      'http://169.254.169.254/latest/meta-data/',
      'not a url',
    ]) {
      assert.equal(responseUrlAllowed(url, slack), false, url);
    }
  });
});
