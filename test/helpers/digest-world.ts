/**
 * A week of reviews in the database, as the comment, scorecard and feedback flows leave it, for the digest
 * tests: three agents in two teams (one named like an attack on Slack's markup), a reviewer, comments,
 * scorecards this week and the weeks before, acknowledgements, disputes and a muted agent.
 */
import type { PrismaClient } from '../../src/generated/prisma/client.js';
import type { FakeSlackApi } from '../fakes/fake-slack-api.js';
import { TEST_CATEGORY, TEST_OTHER_CATEGORY, TEST_REVIEWER, TEST_TEAM_ID } from './world.js';

export const DIGEST_CHANNEL = { id: 'C0WEEK001', name: 'qa-week' };
export const BILLING_CHANNEL = { id: 'C0BILL001', name: 'billing-qa' };
export const AGENTS = [
  { agentId: 'agent-ana', name: 'Ana Lopez', userId: 'U0ANA0001', team: 'Billing', email: 'ana@example.com' },
  {
    agentId: 'agent-ben',
    name: 'Ben <!channel> *Bold*',
    userId: 'U0BEN0001',
    team: 'Support',
    email: 'ben@example.com',
  },
  { agentId: 'agent-cy', name: 'Cy Muted', userId: 'U0CY00001', team: 'Billing', email: 'cy@example.com' },
] as const;

const DAY = 24 * 3_600_000;

/** A cron expression whose latest time is the minute before now (UTC), so its week is due at once. */
export function cronDueNow(now = new Date()): { cron: string; end: Date } {
  const end = new Date(Math.floor((now.getTime() - 60_000) / 60_000) * 60_000);
  return { cron: `${end.getUTCMinutes()} ${end.getUTCHours()} * * *`, end };
}

export function addDigestPeople(slack: FakeSlackApi): void {
  slack.addChannel({ ...DIGEST_CHANNEL, isMember: true });
  slack.addChannel({ ...BILLING_CHANNEL, isMember: true });
  for (const agent of AGENTS) slack.addUser({ id: agent.userId, name: agent.name, email: agent.email });
}

export async function seedWeek(prisma: PrismaClient, end: Date): Promise<void> {
  const reviewer = await prisma.identity.findFirstOrThrow({ where: { slackUserId: TEST_REVIEWER.userId } });
  for (const agent of AGENTS) {
    await prisma.identity.create({
      data: {
        email: agent.email,
        flexUserName: agent.name,
        slackTeamId: TEST_TEAM_ID,
        slackUserId: agent.userId,
        agentId: agent.agentId,
        teamName: agent.team,
        role: 'none',
      },
    });
  }
  const at = (daysBefore: number) => new Date(end.getTime() - daysBefore * DAY);
  let n = 0;
  const comment = async (agentId: string, category: { id: string; name: string }, daysBefore: number) => {
    n += 1;
    await prisma.assessment.create({
      data: {
        submissionKey: `V-digest-${n}`,
        reviewerId: reviewer.id,
        categoryId: category.id,
        categoryName: category.name,
        comment: 'Secret words an agent wrote <@U0ALL>',
        segmentId: `seg-${n}`,
        agentId,
        offsetSeconds: 12,
        status: 'posted',
        postedAt: at(daysBefore),
        // Settled long ago: the reviewer was told, the announcement made.
        reviewerNotifiedAt: at(daysBefore),
        announcedAt: at(daysBefore),
        slackTeamId: TEST_TEAM_ID,
        slackUserId: TEST_REVIEWER.userId,
        source: 'slash_command',
      },
    });
  };
  await comment('agent-ana', TEST_CATEGORY, 1);
  await comment('agent-ana', TEST_OTHER_CATEGORY, 2);
  await comment('agent-ben', TEST_OTHER_CATEGORY, 3);
  await comment('agent-ben', TEST_OTHER_CATEGORY, 9); // the week before: not counted
  const scorecard = async (agentId: string, daysBefore: number, scores: Array<number | null>) => {
    n += 1;
    await prisma.scorecard.create({
      data: {
        reviewerId: reviewer.id,
        questionnaireSid: 'GM1',
        questionnaireName: 'Customer Experience',
        segmentId: `seg-${n}`,
        agentId,
        offsetSeconds: 0,
        submissionKey: `V-card-${n}`,
        notifiedRevision: 1,
        slackTeamId: TEST_TEAM_ID,
        slackUserId: TEST_REVIEWER.userId,
        answers: {
          create: scores.map((score, position) => ({
            position,
            questionSid: `GE${position}`,
            questionText: `Question ${position}`,
            categorySid: 'FY1',
            categoryName: 'Greeting',
            answerId: `A${position}`,
            answerText: score === null ? 'N/A' : String(score),
            score,
            status: 'posted',
            postedAt: at(daysBefore),
          })),
        },
      },
    });
  };
  await scorecard('agent-ana', 1, [80, 100, null]); // 90
  await scorecard('agent-ana', 8, [70, 80]); // the week before: 75
  await scorecard('agent-ben', 2, [50, 60]); // 55
  await scorecard('agent-ben', 15, [40]);
  await scorecard('agent-ana', 22, [60]);
  const feedback = async (agentId: string, state: string, acknowledged: boolean, disputed: boolean) => {
    const agent = AGENTS.find((a) => a.agentId === agentId);
    await prisma.feedback.create({
      data: {
        kind: 'comment',
        slackTeamId: TEST_TEAM_ID,
        agentId,
        agentSlackUserId: agent?.userId ?? null,
        reviewerSlackUserId: TEST_REVIEWER.userId,
        state,
        createdAt: at(2),
        acknowledgedAt: acknowledged ? at(1) : null,
        disputedAt: disputed ? at(1) : null,
        ...(disputed ? { disputeReason: 'Private reason' } : {}),
      },
    });
  };
  await feedback('agent-ana', 'acknowledged', true, false);
  await feedback('agent-ana', 'acknowledged', true, false);
  await feedback('agent-ben', 'disputed', false, true);
  await feedback('agent-cy', 'new', false, false);
  await prisma.memberPreference.create({
    data: { slackTeamId: TEST_TEAM_ID, slackUserId: 'U0CY00001', feedbackDmsMuted: true },
  });
}
