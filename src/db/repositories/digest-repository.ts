import { type DigestPeriod, weeksEarlier } from '../../domain/digests/period.js';
import type { FeedbackFact, PersonInfo, WeekFacts } from '../../domain/digests/week-digest.js';
import { CHART_WEEKS } from '../../domain/digests/week-digest.js';
import type { PrismaClient } from '../../generated/prisma/client.js';

/** One digest (or summary) of one period as its claim row holds it: which steps are done. */
export interface DigestRunState {
  id: string;
  attempts: number;
  channelId: string | null;
  messageTs: string | null;
  chartSharedAt: Date | null;
  sentAt: Date | null;
}

/** The agents who can get their own week by DM: linked to a Slack user, active. */
export interface LinkedAgent {
  agentId: string;
  slackUserId: string;
  slackTeamId: string | null;
  name: string;
}

/**
 * The digests' reads (a week's comments, scorecards and feedback, straight from the tables the comment,
 * scorecard and feedback flows write) and the claim rows that make one instance of many send each digest.
 * Every claim step is one conditional write, so it holds on SQLite and PostgreSQL alike.
 */
export class DigestRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Everything a week's digest is made of. `workspaceId` "" is the single workspace of SLACK_BOT_TOKEN. */
  async factsFor(workspaceId: string, period: DigestPeriod): Promise<WeekFacts> {
    const chartStart = weeksEarlier(period.end, CHART_WEEKS, period.timeZone);
    const earliestScorecards = new Date(Math.min(chartStart.getTime(), period.previousStart.getTime()));
    const [comments, scorecards, feedback, openDisputes, identities] = await Promise.all([
      this.prisma.assessment.findMany({
        // Assessments keep the single workspace as null (see the schema); identities and the rest as "".
        where: {
          slackWorkspaceId: workspaceId === '' ? null : workspaceId,
          status: 'posted',
          postedAt: { gte: period.start, lt: period.end },
        },
        select: { agentId: true, categoryName: true, reviewerId: true, postedAt: true },
      }),
      this.prisma.scorecard.findMany({
        where: {
          slackWorkspaceId: workspaceId,
          answers: { some: { postedAt: { gte: earliestScorecards, lt: period.end } } },
        },
        select: { agentId: true, reviewerId: true, answers: { select: { score: true, postedAt: true } } },
      }),
      this.prisma.feedback.findMany({
        where: { slackWorkspaceId: workspaceId, createdAt: { gte: period.start, lt: period.end } },
        select: feedbackFields,
      }),
      this.prisma.feedback.findMany({
        where: { slackWorkspaceId: workspaceId, state: 'disputed' },
        select: feedbackFields,
        orderBy: { disputedAt: 'asc' },
      }),
      this.prisma.identity.findMany({
        where: { slackWorkspaceId: workspaceId },
        select: { id: true, agentId: true, flexUserName: true, slackUserId: true, teamName: true, active: true },
        orderBy: { active: 'asc' },
      }),
    ]);
    const agents = new Map<string, PersonInfo>();
    const reviewers = new Map<string, PersonInfo>();
    // Active identities come last, so they win over an inactive one with the same agent id.
    for (const identity of identities) {
      const info = { name: identity.flexUserName, slackUserId: identity.slackUserId, teamName: identity.teamName };
      reviewers.set(identity.id, info);
      if (identity.agentId) agents.set(identity.agentId, info);
    }
    return {
      period,
      comments: comments.flatMap((c) =>
        c.postedAt
          ? [{ agentId: c.agentId, categoryName: c.categoryName, reviewerKey: c.reviewerId, at: c.postedAt }]
          : [],
      ),
      scorecards: scorecards.flatMap((card) => {
        const posted = card.answers.flatMap((a) => (a.postedAt ? [a.postedAt.getTime()] : []));
        if (posted.length === 0) return [];
        const answered = card.answers.flatMap((a) => (a.score === null ? [] : [a.score]));
        const score = answered.length === 0 ? null : answered.reduce((s, v) => s + v, 0) / answered.length;
        // A scorecard counts in the week its last answer reached Flex.
        return [{ agentId: card.agentId, reviewerKey: card.reviewerId, score, at: new Date(Math.max(...posted)) }];
      }),
      feedback: feedback.map(toFeedbackFact),
      openDisputes: openDisputes.map(toFeedbackFact),
      agents,
      reviewers,
    };
  }

  /** Agents linked to a Slack user, for their weekly summaries. */
  async linkedAgents(workspaceId: string): Promise<LinkedAgent[]> {
    const rows = await this.prisma.identity.findMany({
      where: { slackWorkspaceId: workspaceId, active: true, agentId: { not: null }, slackUserId: { not: null } },
      select: { agentId: true, slackUserId: true, slackTeamId: true, flexUserName: true },
      orderBy: { email: 'asc' },
    });
    return rows.flatMap((r) =>
      r.agentId && r.slackUserId
        ? [{ agentId: r.agentId, slackUserId: r.slackUserId, slackTeamId: r.slackTeamId, name: r.flexUserName }]
        : [],
    );
  }

  /** Whether the person muted the DMs about feedback on their calls (the Home tab's switch, #18). */
  async feedbackDmsMuted(slackUserId: string, slackTeamId: string | null): Promise<boolean> {
    const muted = await this.prisma.memberPreference.findFirst({
      where: { slackUserId, feedbackDmsMuted: true, ...(slackTeamId ? { slackTeamId } : {}) },
      select: { slackUserId: true },
    });
    return muted !== null;
  }

  /**
   * Takes the digest of (workspace, audience, period) for `instance` until `leaseMs` from now: a new row, or a
   * row not done whose last holder's lease ran out (it died or hung mid-send). Else whether it is done (sent or
   * skipped, by anyone) or held by another instance now.
   */
  async claim(
    key: { workspaceId: string; audience: string; periodEnd: string },
    instance: string,
    leaseMs: number,
    now: Date,
  ): Promise<DigestRunState | 'done' | 'held'> {
    const claimedUntil = new Date(now.getTime() + leaseMs);
    const where = { slackWorkspaceId: key.workspaceId, audience: key.audience, periodEnd: key.periodEnd };
    try {
      return await this.prisma.digestRun.create({
        data: { ...where, claimedBy: instance, claimedUntil, attempts: 1 },
        select: stateFields,
      });
    } catch (error) {
      // Another instance made the row first (the unique key), or made it long ago: take it over if it lapsed.
      const { count } = await this.prisma.digestRun.updateMany({
        where: { ...where, sentAt: null, OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }] },
        data: { claimedBy: instance, claimedUntil, attempts: { increment: 1 } },
      });
      const row = await this.prisma.digestRun.findUnique({
        where: { slackWorkspaceId_audience_periodEnd: where },
        select: { ...stateFields, claimedBy: true },
      });
      if (!row) throw error;
      if (count === 1 && row.claimedBy === instance) return row;
      return row.sentAt ? 'done' : 'held';
    }
  }

  /** Extends the claim before a step that reaches Slack; false: the lease was lost, so nothing more may be sent. */
  async renew(id: string, instance: string, leaseMs: number, now: Date): Promise<boolean> {
    const { count } = await this.prisma.digestRun.updateMany({
      where: { id, claimedBy: instance, sentAt: null, claimedUntil: { gte: now } },
      data: { claimedUntil: new Date(now.getTime() + leaseMs) },
    });
    return count === 1;
  }

  /** The message is in Slack: recorded at once, so an instance taking over does not post it again. */
  async recordMessage(id: string, instance: string, channelId: string, messageTs: string): Promise<void> {
    await this.prisma.digestRun.updateMany({ where: { id, claimedBy: instance }, data: { channelId, messageTs } });
  }

  async recordChart(id: string, instance: string, fileId: string, now: Date): Promise<void> {
    await this.prisma.digestRun.updateMany({
      where: { id, claimedBy: instance },
      data: { chartFileId: fileId, chartSharedAt: now },
    });
  }

  /** Done: sent or skipped, never tried again. */
  async finish(id: string, instance: string, outcome: string, now: Date): Promise<void> {
    await this.prisma.digestRun.updateMany({
      where: { id, claimedBy: instance },
      data: { sentAt: now, outcome, claimedUntil: null, lastError: null },
    });
  }

  /** A step failed: tried again once `retryAt` passes, by whichever instance looks first; given up after `maxAttempts`. */
  async failed(
    id: string,
    instance: string,
    error: string,
    retryAt: Date,
    attempts: number,
    maxAttempts: number,
    now: Date,
  ): Promise<void> {
    const giveUp = attempts >= maxAttempts;
    await this.prisma.digestRun.updateMany({
      where: { id, claimedBy: instance },
      data: {
        lastError: error.slice(0, 500),
        claimedUntil: giveUp ? null : retryAt,
        ...(giveUp ? { sentAt: now, outcome: `failed after ${attempts} attempts` } : {}),
      },
    });
  }

  async doneAudiences(workspaceId: string, periodEnd: string): Promise<Set<string>> {
    const rows = await this.prisma.digestRun.findMany({
      where: { slackWorkspaceId: workspaceId, periodEnd, sentAt: { not: null } },
      select: { audience: true },
    });
    return new Set(rows.map((row) => row.audience));
  }
}

const stateFields = {
  id: true,
  attempts: true,
  channelId: true,
  messageTs: true,
  chartSharedAt: true,
  sentAt: true,
} as const;

const feedbackFields = {
  agentId: true,
  reviewerSlackUserId: true,
  state: true,
  createdAt: true,
  acknowledgedAt: true,
  disputedAt: true,
} as const;

function toFeedbackFact(row: FeedbackFact): FeedbackFact {
  return { ...row };
}
