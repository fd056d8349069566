import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { request } from 'undici';
import { COMMENTS_PATH } from '../fakes/fake-flex-api.js';
import { parsePrometheusText, type Sample, sampleValue } from '../helpers/prometheus-text.js';
import { commentWithQm, modalRefined, openModalWithQm, qmCommand } from '../helpers/reviewer-story.js';
import { CATEGORY, eventually, SEGMENT_ID, startTestApp, type TestApp } from '../helpers/test-app.js';

const METRICS_TOKEN = 'metrics-token-5a1f0c9e7d2b4f60';

describe('GET /metrics', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ env: { METRICS_TOKEN } });
  });
  after(async () => {
    await t.close();
  });

  async function scrape(authorization?: string): Promise<{ status: number; type: string; text: string }> {
    const response = await request(`${t.baseUrl}/metrics`, {
      headers: authorization === undefined ? {} : { authorization },
    });
    return {
      status: response.statusCode,
      type: String(response.headers['content-type']),
      text: await response.body.text(),
    };
  }

  it('answers 401 without the METRICS_TOKEN bearer token, or with a wrong one', async () => {
    for (const authorization of [
      undefined,
      'Bearer wrong-token-0000000000',
      `Basic ${METRICS_TOKEN}`,
      `Bearer ${METRICS_TOKEN}x`,
      'Bearer ',
    ]) {
      const answer = await scrape(authorization);
      assert.equal(answer.status, 401, `${authorization ?? 'no header'} was let in`);
      assert.equal(answer.text, '');
    }
  });

  it('counts a comment Flex refused and one it took, and reads the queue from the database', async () => {
    // A comment left pending by some instance 15 minutes ago (its next attempt far ahead, so nobody sends it).
    const fifteenMinutesAgo = new Date(Date.now() - 15 * 60_000);
    const reviewer = await t.prisma.identity.findFirstOrThrow();
    await t.prisma.assessment.create({
      data: {
        submissionKey: 'metrics-test-old-pending',
        reviewerId: reviewer.id,
        categoryId: CATEGORY.id,
        categoryName: CATEGORY.name,
        comment: 'Waiting',
        segmentId: SEGMENT_ID,
        agentId: 'agent',
        offsetSeconds: 0,
        status: 'pending',
        nextAttemptAt: new Date(Date.now() + 3_600_000),
        slackTeamId: 'T0',
        slackUserId: 'U0',
        source: 'command',
        createdAt: fifteenMinutesAgo,
      },
    });

    // 1. Flex refuses the first comment (400, Twilio error 20001).
    t.flex.failNext({
      method: 'POST',
      status: 400,
      body: JSON.stringify({ code: 20001, message: 'Invalid', more_info: 'x', status: 400 }),
    });
    await commentWithQm(t, SEGMENT_ID, { category: CATEGORY.id, comment: 'Refused one' });
    await eventually(async () => assert.equal(await t.prisma.assessment.count({ where: { status: 'failed' } }), 1));
    // 2. Slack refuses one call (the reviewer's modal is gone), and Flex takes the second comment.
    t.slack.failNext('views.update', { error: 'not_found' });
    await commentWithQm(t, SEGMENT_ID, { category: CATEGORY.id, comment: 'Taken one' });
    await eventually(async () => assert.equal(await t.prisma.assessment.count({ where: { status: 'posted' } }), 1));

    const answer = await scrape(`Bearer ${METRICS_TOKEN}`);
    assert.equal(answer.status, 200);
    assert.match(answer.type, /^text\/plain; version=0\.0\.4/);
    const samples = parsePrometheusText(answer.text);
    const value = (name: string, labels?: Record<string, string>) => sampleValue(samples, name, labels);

    assert.equal(value('flexqm_submissions_total', { source: 'command' }), 2);
    assert.equal(
      value('flexqm_delivery_attempts_total', { result: 'rejected', http_status: '400', twilio_error_code: '20001' }),
      1,
    );
    assert.equal(
      value('flexqm_delivery_attempts_total', { result: 'posted', http_status: '', twilio_error_code: '' }),
      1,
    );
    assert.equal(value('flexqm_delivery_outcomes_total', { outcome: 'posted' }), 1);
    assert.equal(value('flexqm_delivery_outcomes_total', { outcome: 'failed' }), 1);

    assert.equal(value('flexqm_assessments_failed'), 1);
    assert.equal(value('flexqm_assessments_pending'), 1);
    const age = value('flexqm_oldest_pending_assessment_age_seconds') ?? 0;
    assert.ok(age >= 900 && age < 960, `oldest pending is ${age} s old`);
    assert.equal(value('flexqm_database_up'), 1);

    assert.equal(value('flexqm_flex_request_duration_seconds_count', { operation: 'createComment', status: '400' }), 1);
    assert.equal(value('flexqm_flex_request_duration_seconds_count', { operation: 'createComment', status: 'ok' }), 1);
    assert.equal(value('flexqm_submission_to_flex_seconds_count'), 1);
    assert.ok(
      (value('flexqm_submission_to_flex_seconds_sum') ?? -1) >= 0,
      "(value('flexqm_submission_to_flex_seconds_sum') ?? -1) >= 0",
    );
    // Each /qm and each modal submission was acknowledged.
    assert.equal(value('flexqm_slack_ack_duration_seconds_count', { type: 'slash_command' }), 2);
    assert.equal(value('flexqm_slack_ack_duration_seconds_count', { type: 'view_submission' }), 2);
    assert.equal(
      value('flexqm_slack_api_errors_total', { method: 'views.update', error: 'not_found' }),
      1,
      answer.text
        .split('\n')
        .filter((l) => l.includes('slack_api'))
        .join('\n'),
    );

    // Node's own: event-loop lag and the default process metrics.
    assert.ok(has(samples, 'nodejs_eventloop_lag_seconds'), "has(samples, 'nodejs_eventloop_lag_seconds')");
    assert.ok(has(samples, 'process_cpu_user_seconds_total'), "has(samples, 'process_cpu_user_seconds_total')");
    assert.ok(has(samples, 'process_resident_memory_bytes'), "has(samples, 'process_resident_memory_bytes')");
  });

  it('times the Flex calls of /qm history and of the form’s comment count, by operation and how they ended', async () => {
    const flexCalls = async () => {
      const samples = parsePrometheusText((await scrape(`Bearer ${METRICS_TOKEN}`)).text);
      return (operation: string, status: string) =>
        sampleValue(samples, 'flexqm_flex_request_duration_seconds_count', { operation, status }) ?? 0;
    };
    const before = await flexCalls();

    // The history: Flex fails the comments (503) and lists the answers.
    t.flex.failNext({ method: 'GET', path: COMMENTS_PATH, status: 503, body: '' });
    const command = qmCommand(t, `history ${SEGMENT_ID}`);
    assert.equal((await t.sender.slashCommand(command)).status, 200);
    const open = await t.slack.waitForCall('views.open', (c) => c.args.trigger_id === command.trigger_id);
    const historyId = String((open.result.view as { id: string }).id);
    const shown = await t.slack.waitForCall('views.update', (c) => c.args.view_id === historyId);
    assert.match(JSON.stringify(shown.args.view), /Could not read the comments from Flex/);
    // The comment form counts the comments already on the call.
    const { viewId } = await openModalWithQm(t, SEGMENT_ID);
    await modalRefined(t, viewId);

    const after = await flexCalls();
    const more = (operation: string, status: string) => after(operation, status) - before(operation, status);
    assert.equal(more('listCallComments', '503'), 1);
    assert.equal(more('listCallAnswers', 'ok'), 1);
    assert.equal(more('countCallComments', 'ok'), 1);
  });

  it('keeps each app’s counts apart (a registry per app, not prom-client’s global one)', async () => {
    const other = await startTestApp();
    try {
      const response = await request(`${other.baseUrl}/metrics`);
      assert.equal(response.statusCode, 200, 'no METRICS_TOKEN: open');
      const samples = parsePrometheusText(await response.body.text());
      assert.equal(sampleValue(samples, 'flexqm_submissions_total', { source: 'command' }), undefined);
      assert.equal(sampleValue(samples, 'flexqm_assessments_pending'), 0);
    } finally {
      await other.close();
    }
  });
});

function has(samples: Sample[], name: string): boolean {
  return samples.some((sample) => sample.name === name);
}
