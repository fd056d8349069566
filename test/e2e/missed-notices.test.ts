import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
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

describe('a reviewer whose comment was settled by an instance that died before telling them', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => {
    await t.close();
  });

  const settled = async (key: string, status: 'posted' | 'failed', minutesAgo: number) => {
    const reviewer = await t.prisma.identity.findFirstOrThrow({ where: { slackUserId: REVIEWER.userId } });
    const at = new Date(Date.now() - minutesAgo * 60_000);
    const responseUrl = t.slack.newResponseUrl();
    await t.prisma.assessment.create({
      data: {
        submissionKey: key,
        reviewerId: reviewer.id,
        categoryId: CATEGORY.id,
        categoryName: CATEGORY.name,
        comment: `Settled ${key}`,
        segmentId: SEGMENT_ID,
        agentId: AGENT_ID,
        offsetSeconds: 0,
        status,
        attempts: status === 'posted' ? 1 : 8,
        lastError: status === 'failed' ? 'Flex answered 503 eight times' : null,
        flexAssessmentSid: status === 'posted' ? 'FM00000000000000000000000000000001' : null,
        postedAt: status === 'posted' ? at : null,
        slackTeamId: TEAM_ID,
        slackUserId: REVIEWER.userId,
        slackResponseUrl: responseUrl,
        source: 'command',
        createdAt: at,
        updatedAt: at,
      },
    });
    return responseUrl;
  };

  it('is told by another instance once the grace has passed, once', async () => {
    await settled('V-posted', 'posted', 2);
    await settled('V-failed', 'failed', 2);
    await eventually(async () => {
      const told = await t.prisma.assessment.count({ where: { reviewerNotifiedAt: { not: null } } });
      assert.equal(told, 2, 'both reviewers told');
    });
    // Two minutes old, so within Slack's 30 minutes for a response_url: each is told there, once.
    const told = await eventually(() => {
      const accepted = t.slack.responsesAccepted();
      assert.equal(accepted, 2, `one message each (${accepted} so far)`);
      return accepted;
    });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    assert.equal(t.slack.responsesAccepted(), told, 'and only once');
    assert.equal(t.slack.calls('chat.postMessage').filter((c) => c.args.channel === REVIEWER.userId).length, 0);
  });

  it('is left to the live instance that just settled it (within the grace)', async () => {
    await settled('V-fresh', 'posted', 0);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const row = await t.prisma.assessment.findUniqueOrThrow({ where: { submissionKey: 'V-fresh' } });
    assert.equal(row.reviewerNotifiedAt, null, 'not taken over while its own instance may still be telling them');
  });
});
