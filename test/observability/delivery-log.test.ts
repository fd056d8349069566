import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { CaptureLogger, type LogLine } from '../helpers/capture-logger.js';
import { commentWithQm } from '../helpers/reviewer-story.js';
import { CATEGORY, eventually, SEGMENT_ID, startTestApp, TEAM_ID, type TestApp } from '../helpers/test-app.js';

/** A line for every delivery attempt at LOG_LEVEL=info, as production logs by default (none before). */
describe('the log line of every delivery attempt', () => {
  const logger = new CaptureLogger();
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ logger, env: { LOG_LEVEL: 'info' } });
  });
  after(async () => {
    await t.close();
  });
  beforeEach(async () => {
    await t.prisma.assessment.deleteMany();
    t.flex.reset();
    logger.clear();
  });

  async function settled(comment: string, status: 'posted' | 'failed') {
    await commentWithQm(t, SEGMENT_ID, { category: CATEGORY.id, comment });
    return eventually(async () => {
      const row = await t.prisma.assessment.findFirstOrThrow({ where: { comment } });
      assert.equal(row.status, status);
      return row;
    }, 5_000);
  }
  const attemptsOf = (assessmentId: string): Promise<LogLine[]> =>
    eventually(() => {
      const lines = logger.withFields({ event: 'delivery_attempt', assessmentId });
      assert.ok(lines.length > 0, 'lines.length > 0');
      return lines;
    });

  it('says a comment was posted: ids, workspace, segment, attempt, duration', async () => {
    const row = await settled('Posted one', 'posted');
    const [line, ...more] = await attemptsOf(row.id);
    assert.equal(more.length, 0);
    assert.equal(line?.level, 'info');
    assert.equal(line?.record.flexAssessmentSid, row.flexAssessmentSid);
    assert.equal(line?.record.workspace, TEAM_ID);
    assert.equal(line?.record.segmentId, SEGMENT_ID);
    assert.equal(line?.record.attempt, 1);
    assert.equal(line?.record.result, 'posted');
    assert.equal(line?.record.next, 'posted');
    assert.equal(typeof line?.record.durationMs, 'number');
    assert.equal(typeof line?.record.time, 'string', 'every line has a timestamp');
    assert.match(String(line?.record.msg), new RegExp(`posted to Flex as ${row.flexAssessmentSid}`));
  });

  it('says Flex refused the credentials (401, Twilio 20003) and that the comment failed for good', async () => {
    t.flex.failNext({
      method: 'POST',
      status: 401,
      body: JSON.stringify({ code: 20003, message: 'Authenticate', more_info: 'x', status: 401 }),
    });
    const row = await settled('Refused one', 'failed');
    const [line] = await attemptsOf(row.id);
    assert.equal(line?.level, 'error');
    assert.equal(line?.record.httpStatus, 401);
    assert.equal(line?.record.twilioErrorCode, 20003);
    assert.equal(line?.record.result, 'rejected');
    assert.equal(line?.record.next, 'failed');
    assert.match(String(line?.record.error), /refused/);
  });

  it('says when Flex could not be reached, when the next try is, and when the app gave up', async () => {
    for (let i = 0; i < 3; i += 1) t.flex.failNext({ method: 'POST', resetBeforeProcessing: true });
    const row = await settled('Unreachable one', 'failed');
    const lines = await eventually(async () => {
      const found = await attemptsOf(row.id);
      assert.equal(found.length, 3);
      return found;
    });
    assert.deepEqual(
      lines.map((line) => [line.level, line.record.attempt, line.record.result, line.record.next]),
      [
        ['warn', 1, 'will_retry', 'retry'],
        ['warn', 2, 'will_retry', 'retry'],
        ['error', 3, 'gave_up', 'failed'],
      ],
    );
    assert.ok(
      lines.slice(0, 2).every((line) => typeof line.record.retryAt === 'string'),
      "lines.slice(0, 2).every((line) => typeof line.record.retryAt === 'string')",
    );
    assert.equal(lines[0]?.record.errorCode, 'flex_network');
    assert.ok(!logger.text().includes('Unreachable one'), 'the comment is not logged');
  });
});
