import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COMMENTS_PATH, type FakeFlexApi, htmlErrorPage, twilioErrorAnswer } from '../fakes/fake-flex-api.js';
import type { AppProcess } from '../helpers/app-process.js';
import { startDeployment } from '../helpers/deployment.js';
import { eventually } from '../helpers/test-app.js';

/**
 * Submissions per run: 400 by default, enough for each way of failing to happen dozens of times (Flex
 * fails 30% of ~500 comment calls) and for a kill with 16 submissions in flight; CHAOS_SUBMISSIONS=1000
 * (or more) makes a longer soak of it, at ~20 ms of CPU per submission.
 */
const SUBMISSIONS = Number(process.env.CHAOS_SUBMISSIONS) || 400;
/** Submissions also sent a second time to another instance (a double click, two instances receiving it). */
const DUPLICATES = SUBMISSIONS / 10;
const FLEX_TIMEOUT_MS = 1_000;

/** A small seeded generator (mulberry32), so a failing run can be replayed with its seed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Flex failing 30% of the comment calls (creating and listing) in every way a real one does. */
function chaosOn(flex: FakeFlexApi, seed: number): void {
  flex.setChaos({
    rate: 0.3,
    random: seeded(seed),
    targets: [{ path: COMMENTS_PATH }],
    behaviours: [
      { name: '500', behaviour: twilioErrorAnswer(500, 20500, 'Internal Server Error') },
      { name: '503 html', behaviour: htmlErrorPage(503) },
      // The comment is made, but the answer comes after the client gave up: the outcome is unknown.
      { name: 'timeout after processing', behaviour: { delayMs: FLEX_TIMEOUT_MS + 500 } },
      { name: 'reset after processing', behaviour: { resetAfterProcessing: true } },
      { name: 'reset before processing', behaviour: { resetBeforeProcessing: true } },
    ],
  });
}

/**
 * Runs the deployment: `instances` app processes on one database, SUBMISSIONS submissions spread across
 * them (plus DUPLICATES sent twice), Flex failing 30% of the time, one process `kill -9`ed halfway
 * (restarted when it was the only one). Returns when the database says everything is settled.
 */
async function runChaos(kind: 'sqlite' | 'postgresql', instances: number, seed: number) {
  const deployment = await startDeployment(kind, {
    FLEX_TIMEOUT_MS: String(FLEX_TIMEOUT_MS),
    // Patient enough that 30% failures never exhaust a comment's attempts; quick enough for a test.
    DELIVERY_MAX_ATTEMPTS: '40',
    DELIVERY_RETRY_BASE_MS: '50',
    DELIVERY_RETRY_MAX_MS: '400',
    DELIVERY_POLL_MS: '100',
    NOTIFY_CHANNEL: 'C0ANNOUNCE',
    // The announcement the killed instance was making is taken up after this, not after the minute a
    // deployment waits; still far longer than one try takes on a loaded machine.
    ANNOUNCE_CLAIM_LEASE_MS: '10000',
  });
  const { slack, flex, prisma } = deployment;
  slack.addChannel({ id: 'C0ANNOUNCE', name: 'qa-feed', isMember: true });
  const running: AppProcess[] = [];
  // How long each phase took, for whoever weighs this test's time.
  const phases: string[] = [];
  let phaseStart = Date.now();
  const phase = (name: string) => {
    phases.push(`${name} ${((Date.now() - phaseStart) / 1000).toFixed(1)} s`);
    phaseStart = Date.now();
  };
  try {
    running.push(
      ...(await Promise.all(Array.from({ length: instances }, (_, i) => deployment.start(`instance-${i + 1}`)))),
    );
    phase('start');
    const views = await deployment.openViews(SUBMISSIONS);
    chaosOn(flex, seed);

    let cursor = 0;
    /** Set when a worker failed: the others stop too, rather than start an instance after close(). */
    let stopping = false;
    /** Like the load balancer: the next live instance; like Slack, a request that got no answer is sent again. */
    const send = async (index: number, retryNum = 0): Promise<void> => {
      // While the only instance restarts (its start-up checks take seconds on a loaded machine), the
      // load balancer holds requests rather than fail them; a minute without any instance fails the test.
      const noInstanceSince = Date.now();
      let alive = running.filter((app) => app.child.exitCode === null && app.child.signalCode === null);
      while (alive.length === 0 && !stopping && Date.now() - noInstanceSince < 60_000) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        alive = running.filter((app) => app.child.exitCode === null && app.child.signalCode === null);
      }
      const target = alive[cursor++ % Math.max(1, alive.length)];
      try {
        if (!target) throw new Error('no instance for a minute');
        const answer = await deployment.submit(
          target,
          views[index] ?? {},
          `Chaos comment ${index}: “calm” & <clear> 🎧`,
          retryNum,
        );
        assert.equal(answer.status, 200, answer.text);
      } catch (error) {
        if (retryNum >= 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200));
        await send(index, retryNum + 1);
      }
    };

    let next = 0;
    let killed = false;
    const worker = async () => {
      for (let index = next++; index < SUBMISSIONS && !stopping; index = next++) {
        if (!killed && index >= SUBMISSIONS / 2) {
          killed = true;
          const victim = running[0];
          assert.ok(victim, 'victim');
          // kill -9 while requests to Flex and from Slack are in flight.
          await victim.kill();
          if (instances === 1) running.push(await deployment.start('instance-1-restarted'));
        }
        await send(index);
        if (index < DUPLICATES) await send(index, 1);
      }
    };
    const workers = Array.from({ length: 16 }, worker);
    try {
      await Promise.all(workers);
    } finally {
      stopping = true;
      await Promise.allSettled(workers);
    }
    phase('submissions');

    // Polled every 250 ms: each look reads the whole table, and the app processes need the CPU.
    const settled = await eventually(
      async () => {
        const byStatus = await prisma.assessment.groupBy({ by: ['status'], _count: true });
        const counts = Object.fromEntries(byStatus.map((row) => [row.status, row._count]));
        assert.deepEqual(counts, { posted: SUBMISSIONS }, `not settled yet: ${JSON.stringify(counts)}`);
        return counts;
      },
      150_000,
      250,
    );
    phase('settling');
    await eventually(
      async () => {
        assert.equal(await prisma.assessment.count({ where: { announcedAt: { not: null } } }), SUBMISSIONS);
      },
      60_000,
      250,
    );
    phase('announcing');
    // Nothing is sent after everything is settled.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const rows = await prisma.assessment.findMany();
    const announced = new Map<string, number>();
    for (const call of slack.calls('chat.postMessage')) {
      if (call.args.channel !== 'C0ANNOUNCE' || call.result.ok !== true) continue;
      const index = /Chaos comment (\d+)/.exec(JSON.stringify(call.args.blocks))?.[1] ?? 'unknown';
      announced.set(index, (announced.get(index) ?? 0) + 1);
    }
    return { settled, rows, flex, announced, phases };
  } finally {
    await deployment.close();
  }
}

function assertExactlyOnce(result: Awaited<ReturnType<typeof runChaos>>, report: (line: string) => void) {
  const { rows, flex, announced } = result;
  assert.equal(rows.length, SUBMISSIONS, 'one assessment per submission, duplicates included');
  assert.equal(flex.comments.length, SUBMISSIONS, 'Flex holds exactly one comment per submission');
  const bySegment = new Map(flex.comments.map((comment) => [comment.segment_id, comment]));
  assert.equal(bySegment.size, SUBMISSIONS, 'no call got two comments');
  for (const row of rows) {
    const comment = bySegment.get(row.segmentId);
    assert.ok(comment, `Flex has no comment for ${row.segmentId}`);
    assert.equal(row.flexAssessmentSid, comment.assessment_sid, 'the database names the comment Flex holds');
    assert.equal(comment.comment.comment, row.comment, 'the comment reached Flex exactly as typed');
  }
  // The chaos really happened, in every form.
  for (const kind of [
    '500',
    '503 html',
    'timeout after processing',
    'reset after processing',
    'reset before processing',
  ]) {
    assert.ok((flex.chaosInjected.get(kind) ?? 0) > 0, `no ${kind} was injected`);
  }
  const lookups = flex.requests.filter((r) => r.method === 'GET' && r.path === COMMENTS_PATH).length;
  assert.ok(lookups > 0, 'outcomes left unknown were settled by reading Flex’s comments');
  // Announcements: every comment once in the channel. A process killed between Slack's answer and
  // recording it may leave one announcement to be made again: at most one per kill.
  assert.equal(announced.size, SUBMISSIONS, 'every comment was announced');
  const repeats = [...announced.values()].reduce((sum, n) => sum + n - 1, 0);
  assert.ok(repeats <= 1, `${repeats} announcements were made twice`);
  const posts = flex.requests.filter((r) => r.method === 'POST' && r.path === COMMENTS_PATH).length;
  const attempts = rows.reduce((sum, row) => sum + row.attempts, 0);
  report(
    `${result.phases.join(', ')}; ${posts} comment POSTs and ${lookups} comment list reads for ${SUBMISSIONS} comments; ${repeats} repeated announcements; ${attempts} delivery attempts; injected ${JSON.stringify(Object.fromEntries(flex.chaosInjected))}`,
  );
}

const count = SUBMISSIONS.toLocaleString('en');
describe(`nothing lost, nothing twice: ${count} submissions while Flex fails 30% of calls and an instance is killed`, () => {
  it(`three instances on PostgreSQL, one killed halfway: Flex holds exactly ${count} comments, each once`, async (t) => {
    assertExactlyOnce(await runChaos('postgresql', 3, 20261126), (line) => t.diagnostic(line));
  });

  it('one instance on SQLite, killed halfway and started again: the same', async (t) => {
    assertExactlyOnce(await runChaos('sqlite', 1, 11262026), (line) => t.diagnostic(line));
  });
});
