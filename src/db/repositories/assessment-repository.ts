import { randomUUID } from 'node:crypto';
import type {
  Assessment,
  AssessmentDraft,
  AssessmentSource,
  AssessmentStatus,
} from '../../domain/assessments/assessment.js';
import type { Assessment as AssessmentRow, PrismaClient } from '../../generated/prisma/client.js';
import { driverSqlOf, sql } from '../driver-sql.js';

/** Persists assessments; every state change is one conditional write so two workers never both own one. */
export class AssessmentRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Stores a new submission; a repeated submission key returns the first one instead of a second row. */
  async createPending(
    draft: AssessmentDraft,
    now: Date,
    options: { claimLeaseMs?: number } = {},
  ): Promise<{ assessment: Assessment; created: boolean }> {
    // No look-up first: the unique submission key turns a repeat into an error, answered below.
    const claimedUntil = options.claimLeaseMs === undefined ? null : new Date(now.getTime() + options.claimLeaseMs);
    const assessment: Assessment = {
      ...draft,
      id: randomUUID(),
      status: 'pending',
      // Claimed as `claim` does, in the same write, for the attempt about to start.
      attempts: claimedUntil ? 1 : 0,
      nextAttemptAt: now,
      outcomeUnknown: false,
      lastError: null,
      flexAssessmentSid: null,
      createdAt: now,
      postedAt: null,
      reviewerNotifiedAt: null,
      announceAttempts: 0,
      agentNotifiedAt: null,
    };
    try {
      // The hot path of every submission: one plain INSERT, sent straight to the driver (see DriverSql;
      // Prisma's create also reads the row back). The row is exactly `assessment`; other columns keep their defaults.
      const { origin } = draft;
      const driver = driverSqlOf(this.prisma);
      await driver.execute(sql`INSERT INTO "Assessment" ("id", "submissionKey", "reviewerId", "categoryId",
        "categoryName", "comment", "segmentId", "agentId", "offsetSeconds", "status", "attempts", "nextAttemptAt",
        "outcomeUnknown", "claimedUntil", "slackTeamId", "slackWorkspaceId", "slackUserId", "slackChannelId",
        "slackMessageTs", "slackThreadTs", "slackResponseUrl", "callUrl", "source", "createdAt", "updatedAt",
        "announceAttempts", "scorecardId")
        VALUES (${assessment.id}, ${draft.submissionKey}, ${draft.reviewerId}, ${draft.categoryId},
        ${draft.categoryName}, ${draft.comment}, ${draft.segmentId}, ${draft.agentId}, ${draft.offsetSeconds},
        ${assessment.status}, ${assessment.attempts}, ${now}, ${false}, ${claimedUntil}, ${origin.teamId},
        ${origin.workspaceId ?? null}, ${origin.userId}, ${origin.channelId ?? null}, ${origin.messageTs ?? null},
        ${origin.threadTs ?? null}, ${origin.responseUrl ?? null}, ${draft.callUrl ?? null}, ${draft.source}, ${now},
        ${now}, ${0}, ${draft.scorecardId ?? null})`);
      return { assessment, created: true };
    } catch (error) {
      const raced = await this.findBySubmissionKey(draft.submissionKey);
      if (raced) return { assessment: raced, created: false };
      throw error;
    }
  }

  async find(id: string): Promise<Assessment | null> {
    const row = await this.prisma.assessment.findUnique({ where: { id } });
    return row ? toAssessment(row) : null;
  }

  async findBySubmissionKey(submissionKey: string): Promise<Assessment | null> {
    const row = await this.prisma.assessment.findUnique({ where: { submissionKey } });
    return row ? toAssessment(row) : null;
  }

  /**
   * Takes a pending assessment for one delivery attempt, unless another attempt holds it. Each step is
   * one conditional UPDATE, so of several instances racing for a row exactly one gets it. A claim whose
   * lease ran out was held by an attempt that died (a killed instance) and may have reached Flex: it
   * is taken over with the outcome marked unknown, so Flex is asked before anything is sent again.
   */
  async claim(id: string, now: Date, leaseMs: number): Promise<Assessment | null> {
    const [claimed] = await this.claimAll([id], now, leaseMs);
    return claimed ?? null;
  }

  /**
   * Claims, for one attempt each, up to `limit` pending assessments that are due and that nobody holds,
   * oldest first: one read and one conditional UPDATE … RETURNING for the lot (a lapsed claim adds one).
   */
  async claimDue(now: Date, limit: number, leaseMs: number): Promise<Assessment[]> {
    const ids = await this.dueIds(now, limit);
    return ids.length === 0 ? [] : this.claimAll(ids, now, leaseMs);
  }

  /** The assessments of `ids` this call claimed (see `claim`); another instance's claims are left alone. */
  private async claimAll(ids: string[], now: Date, leaseMs: number): Promise<Assessment[]> {
    const claimedUntil = new Date(now.getTime() + leaseMs);
    const free = await this.prisma.assessment.updateManyAndReturn({
      where: { id: { in: ids }, status: 'pending', claimedUntil: null },
      data: { claimedUntil, attempts: { increment: 1 } },
    });
    if (free.length === ids.length) return free.map(toAssessment);
    const taken = new Set(free.map((row) => row.id));
    const lapsed = await this.prisma.assessment.updateManyAndReturn({
      where: { id: { in: ids.filter((id) => !taken.has(id)) }, status: 'pending', claimedUntil: { lt: now } },
      data: { claimedUntil, attempts: { increment: 1 }, outcomeUnknown: true },
    });
    const order = new Map(ids.map((id, index) => [id, index]));
    return [...free, ...lapsed].sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0)).map(toAssessment);
  }

  /** Ids of pending assessments whose next attempt is due and that nobody holds. */
  async dueIds(now: Date, limit: number): Promise<string[]> {
    const rows = await this.prisma.assessment.findMany({
      where: {
        status: 'pending',
        nextAttemptAt: { lte: now },
        OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }],
      },
      orderBy: { nextAttemptAt: 'asc' },
      take: limit,
      select: { id: true },
    });
    return rows.map((row) => row.id);
  }

  /** One write in the usual case: posted, and the right to tell the reviewer taken (see the port). */
  async markPosted(
    assessment: Assessment,
    result: { assessmentSid: string; responseBody: string | null },
    now: Date,
  ): Promise<{ assessment: Assessment; reviewerClaimed: boolean }> {
    const { id } = assessment;
    const posted = {
      status: 'posted',
      flexAssessmentSid: result.assessmentSid,
      postedAt: now,
      outcomeUnknown: false,
      lastError: null,
    } as const;
    // One UPDATE records the post and takes the right to tell the reviewer, sent straight to the driver
    // (see DriverSql); it does not read the row back (that costs as much again): what changed is known.
    const claimed = await driverSqlOf(this.prisma).execute(sql`UPDATE "Assessment"
      SET "status" = ${posted.status}, "flexAssessmentSid" = ${posted.flexAssessmentSid},
        "flexResponse" = ${result.responseBody}, "postedAt" = ${now}, "claimedUntil" = NULL,
        "outcomeUnknown" = ${posted.outcomeUnknown}, "lastError" = NULL, "reviewerNotifiedAt" = ${now},
        "updatedAt" = ${now}
      WHERE "id" = ${id} AND "reviewerNotifiedAt" IS NULL`);
    if (claimed !== 1) {
      // Someone already has the right to tell the reviewer (rare): record the post all the same.
      const row = await this.prisma.assessment.update({
        where: { id },
        data: { ...posted, flexResponse: result.responseBody, claimedUntil: null },
      });
      return { assessment: toAssessment(row), reviewerClaimed: false };
    }
    return { assessment: { ...assessment, ...posted, reviewerNotifiedAt: now }, reviewerClaimed: true };
  }

  /** Records a failed attempt that will be tried again at `nextAttemptAt`. */
  async markRetry(
    id: string,
    failure: { error: string; outcomeUnknown: boolean; nextAttemptAt: Date },
  ): Promise<Assessment> {
    const row = await this.prisma.assessment.update({
      where: { id },
      data: {
        lastError: failure.error,
        outcomeUnknown: failure.outcomeUnknown,
        nextAttemptAt: failure.nextAttemptAt,
        claimedUntil: null,
      },
    });
    return toAssessment(row);
  }

  async markFailed(id: string, error: string, flexResponse: string | null): Promise<Assessment> {
    const row = await this.prisma.assessment.update({
      where: { id },
      data: { status: 'failed', lastError: error, flexResponse, claimedUntil: null },
    });
    return toAssessment(row);
  }

  /**
   * Settled assessments whose reviewer was never told (the instance that settled them died first),
   * untouched since `settledBefore` so that a live instance about to tell them is left to do it.
   */
  async settledWithoutNotice(settledBefore: Date, limit: number): Promise<Assessment[]> {
    const rows = await this.prisma.assessment.findMany({
      where: {
        reviewerNotifiedAt: null,
        // Announcements touch posted rows later on, so a posted one counts from when it was posted.
        OR: [
          { status: 'posted', postedAt: { lt: settledBefore } },
          { status: 'failed', updatedAt: { lt: settledBefore } },
        ],
      },
      orderBy: { updatedAt: 'asc' },
      take: limit,
    });
    return rows.map(toAssessment);
  }

  /** True for the one caller that gets to tell the reviewer; later callers get false. */
  async markReviewerNotified(id: string, now: Date): Promise<boolean> {
    const { count } = await this.prisma.assessment.updateMany({
      where: { id, reviewerNotifiedAt: null },
      data: { reviewerNotifiedAt: now },
    });
    return count === 1;
  }

  /** Posted assessments whose announcement is not settled yet and is due. */
  async dueAnnouncements(now: Date, maxAttempts: number, limit: number): Promise<Assessment[]> {
    const rows = await this.prisma.assessment.findMany({
      where: {
        status: 'posted',
        announcedAt: null,
        announceAttempts: { lt: maxAttempts },
        OR: [{ announceNextAttemptAt: null }, { announceNextAttemptAt: { lte: now } }],
      },
      orderBy: { postedAt: 'asc' },
      take: limit,
    });
    return rows.map(toAssessment);
  }

  /**
   * Takes a due announcement for one try, so that of several instances only one announces it; the
   * lease is the next-attempt time, so a try that died is taken up again once it passes.
   */
  async claimAnnouncement(id: string, now: Date, leaseMs: number): Promise<boolean> {
    const { count } = await this.prisma.assessment.updateMany({
      where: {
        id,
        status: 'posted',
        announcedAt: null,
        OR: [{ announceNextAttemptAt: null }, { announceNextAttemptAt: { lte: now } }],
      },
      data: { announceNextAttemptAt: new Date(now.getTime() + leaseMs) },
    });
    return count === 1;
  }

  /** Settles the announcement: done, or given up with the reason kept. */
  async markAnnounced(id: string, now: Date, error: string | null = null): Promise<void> {
    await this.prisma.assessment.updateMany({
      where: { id },
      data: { announcedAt: now, announceError: error, announceAttempts: { increment: 1 } },
    });
  }

  async markAnnounceRetry(id: string, error: string, nextAttemptAt: Date): Promise<void> {
    await this.prisma.assessment.updateMany({
      where: { id },
      data: { announceError: error, announceNextAttemptAt: nextAttemptAt, announceAttempts: { increment: 1 } },
    });
  }

  /** Puts a failed assessment back in the queue with fresh attempts; false when it is not failed. */
  async requeue(id: string, now: Date): Promise<boolean> {
    const { count } = await this.prisma.assessment.updateMany({
      where: { id, status: 'failed' },
      data: { status: 'pending', attempts: 0, nextAttemptAt: now, claimedUntil: null, reviewerNotifiedAt: null },
    });
    return count === 1;
  }

  /** The stored row as it is, for an admin to read. */
  async raw(id: string) {
    return this.prisma.assessment.findUnique({
      where: { id },
      include: { reviewer: { select: { email: true, flexUserName: true } } },
    });
  }

  /**
   * The assessments an admin may mean by `reference`: the one whose id or Flex assessment SID (FM…) it
   * is, else those whose id or SID starts with it (at most `limit`, newest first).
   */
  async matching(reference: string, limit: number): Promise<Assessment[]> {
    const exact = await this.prisma.assessment.findFirst({
      where: { OR: [{ id: reference }, { flexAssessmentSid: reference }] },
    });
    if (exact) return [toAssessment(exact)];
    const rows = await this.prisma.assessment.findMany({
      where: { OR: [{ id: { startsWith: reference } }, { flexAssessmentSid: { startsWith: reference } }] },
      orderBy: { createdAt: 'desc' },
      take: limit,
    });
    return rows.map(toAssessment);
  }

  async listByStatus(status: AssessmentStatus | undefined, limit: number, since?: Date): Promise<Assessment[]> {
    const rows = await this.prisma.assessment.findMany({
      where: { ...(status ? { status } : {}), ...(since ? { createdAt: { gte: since } } : {}) },
      orderBy: { createdAt: 'desc' },
      take: limit,
    });
    return rows.map(toAssessment);
  }

  /** A reviewer's latest assessments, newest first, for their Home tab. */
  async recentOfReviewer(reviewerId: string, limit: number): Promise<Assessment[]> {
    const rows = await this.prisma.assessment.findMany({
      where: { reviewerId },
      orderBy: { createdAt: 'desc' },
      take: limit,
    });
    return rows.map(toAssessment);
  }
}

function toAssessment(row: AssessmentRow): Assessment {
  return {
    id: row.id,
    submissionKey: row.submissionKey,
    reviewerId: row.reviewerId,
    categoryId: row.categoryId,
    categoryName: row.categoryName,
    comment: row.comment,
    segmentId: row.segmentId,
    agentId: row.agentId,
    offsetSeconds: row.offsetSeconds,
    source: row.source as AssessmentSource,
    callUrl: row.callUrl ?? undefined,
    origin: {
      teamId: row.slackTeamId,
      ...(row.slackWorkspaceId ? { workspaceId: row.slackWorkspaceId } : {}),
      userId: row.slackUserId,
      channelId: row.slackChannelId ?? undefined,
      messageTs: row.slackMessageTs ?? undefined,
      threadTs: row.slackThreadTs ?? undefined,
      responseUrl: row.slackResponseUrl ?? undefined,
    },
    status: row.status as AssessmentStatus,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt,
    outcomeUnknown: row.outcomeUnknown,
    lastError: row.lastError,
    flexAssessmentSid: row.flexAssessmentSid,
    createdAt: row.createdAt,
    postedAt: row.postedAt,
    reviewerNotifiedAt: row.reviewerNotifiedAt,
    announceAttempts: row.announceAttempts,
    agentNotifiedAt: row.agentNotifiedAt,
    ...(row.scorecardId ? { scorecardId: row.scorecardId } : {}),
  };
}
