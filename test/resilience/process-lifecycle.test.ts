import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { request } from 'undici';
import { COMMENTS_PATH } from '../fakes/fake-flex-api.js';
import { startDeployment } from '../helpers/deployment.js';
import { eventually } from '../helpers/test-app.js';

const postsOf = (requests: Array<{ method: string; path: string }>) =>
  requests.filter((r) => r.method === 'POST' && r.path === COMMENTS_PATH).length;

describe('stopping and killing the app process', () => {
  it('SIGTERM stops intake, lets the Flex request under way finish, closes the database and exits 0', async () => {
    const deployment = await startDeployment('sqlite');
    try {
      const app = await deployment.start('app', { LOG_LEVEL: 'info' });
      const [view] = await deployment.openViews(1);
      assert.ok(view, 'view');
      deployment.flex.setLatency(1_500);
      const answer = await deployment.submit(app, view, 'Sent while stopping');
      assert.equal(answer.status, 200);
      await eventually(() => assert.equal(postsOf(deployment.flex.requests), 1));

      const stopped = app.stop();
      // Intake stops at once: the port no longer takes requests.
      await eventually(async () => {
        await assert.rejects(request(`${app.baseUrl}/healthz`));
      }, 1_000);
      assert.equal(await stopped, 0);

      const row = await deployment.prisma.assessment.findFirstOrThrow();
      assert.equal(row.status, 'posted', 'the attempt under way was allowed to finish');
      assert.equal(row.flexAssessmentSid, deployment.flex.comments[0]?.assessment_sid);
      assert.match(app.output(), /SIGTERM received/);
    } finally {
      await deployment.close();
    }
  });

  it('kill -9 while Flex is answering loses nothing and posts nothing twice: the next start settles it', async () => {
    const deployment = await startDeployment('sqlite', { FLEX_TIMEOUT_MS: '1000' });
    try {
      const first = await deployment.start('app');
      const [view] = await deployment.openViews(1);
      assert.ok(view, 'view');
      // Flex makes the comment at once but answers only after the process is dead.
      deployment.flex.failNext({ method: 'POST', path: COMMENTS_PATH, delayMs: 5_000 });
      assert.equal((await deployment.submit(first, view, 'Typed before the crash')).status, 200);
      await eventually(() => assert.equal(deployment.flex.comments.length, 1));
      await first.kill();

      const pending = await deployment.prisma.assessment.findFirstOrThrow();
      assert.equal(pending.status, 'pending', 'the comment is in the database, not lost with the process');

      await deployment.start('app-restarted');
      // Its claim lapses (twice the Flex timeout plus 5 s); the new process asks Flex before sending.
      const row = await eventually(async () => {
        const current = await deployment.prisma.assessment.findFirstOrThrow();
        assert.equal(current.status, 'posted');
        return current;
      }, 15_000);
      assert.equal(postsOf(deployment.flex.requests), 1, 'sent once');
      assert.equal(deployment.flex.comments.length, 1, 'Flex holds it once');
      assert.equal(row.flexAssessmentSid, deployment.flex.comments[0]?.assessment_sid);
      assert.equal(row.attempts, 2);
      assert.ok(
        deployment.flex.requests.some((r) => r.method === 'GET' && r.path === COMMENTS_PATH),
        'the outcome was settled by reading Flex’s comments',
      );
      // And the reviewer hears of it.
      await eventually(() => assert.ok(deployment.slack.responsesAccepted() >= 1, 'the reviewer was told'));
    } finally {
      await deployment.close();
    }
  });
});
