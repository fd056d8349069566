import type {
  AnswerStatus,
  AnswerToDeliver,
  Scorecard,
  ScorecardDraft,
  StoredAnswer,
} from '../../domain/scorecards/scorecard.js';
import type {
  PrismaClient,
  ScorecardAnswer as ScorecardAnswerRow,
  Scorecard as ScorecardRow,
} from '../../generated/prisma/client.js';

/** A scorecard of a few hundred answers is written in one transaction: more than Prisma's default 5 s under load. */
const SUBMIT_TRANSACTION = { maxWait: 5_000, timeout: 30_000 };

/** Scorecards and their answers' delivery state; written before Flex is called, so nothing a reviewer did is lost. */
export class ScorecardRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** The reviewer's earlier scorecard of this call with this questionnaire, to pre-fill and to revise. */
  async findFor(
    workspaceId: string | null,
    reviewerId: string,
    segmentId: string,
    questionnaireSid: string,
  ): Promise<Scorecard | null> {
    const row = await this.prisma.scorecard.findUnique({
      where: {
        slackWorkspaceId_reviewerId_segmentId_questionnaireSid: {
          slackWorkspaceId: workspaceId ?? '',
          reviewerId,
          segmentId,
          questionnaireSid,
        },
      },
      include: { answers: { orderBy: { position: 'asc' } } },
    });
    return row ? toScorecard(row) : null;
  }

  async find(id: string): Promise<Scorecard | null> {
    const row = await this.prisma.scorecard.findUnique({
      where: { id },
      include: { answers: { orderBy: { position: 'asc' } } },
    });
    return row ? toScorecard(row) : null;
  }

  /**
   * Stores a submission: a new scorecard with every answer pending, or a new revision of the earlier one in
   * which only the answers that changed are pending again (they go to Flex as updates). The same view
   * submitted twice is stored once. `changed` counts the answers to send.
   */
  async submit(
    draft: ScorecardDraft,
    now: Date,
  ): Promise<{ scorecard: Scorecard; changed: number; repeated: boolean }> {
    const id = await this.prisma.$transaction(async (tx) => {
      const key = {
        slackWorkspaceId: draft.workspaceId ?? '',
        reviewerId: draft.reviewerId,
        segmentId: draft.segmentId,
        questionnaireSid: draft.questionnaireSid,
      };
      const existing = await tx.scorecard.findUnique({
        where: { slackWorkspaceId_reviewerId_segmentId_questionnaireSid: key },
        include: { answers: true },
      });
      const { answers, workspaceId: _workspaceId, ...fields } = draft;
      if (!existing) {
        const created = await tx.scorecard.create({
          data: {
            ...key,
            ...fields,
            answers: {
              create: answers.map((answer, position) => ({ ...answer, position, nextAttemptAt: now })),
            },
          },
        });
        return { id: created.id, changed: answers.length, repeated: false };
      }
      if (existing.submissionKey === draft.submissionKey) return { id: existing.id, changed: 0, repeated: true };
      const held = new Map(existing.answers.map((answer) => [answer.questionSid, answer]));
      let changed = 0;
      for (const [position, answer] of answers.entries()) {
        const before = held.get(answer.questionSid);
        if (!before) {
          await tx.scorecardAnswer.create({
            data: { ...answer, scorecardId: existing.id, position, nextAttemptAt: now },
          });
          changed += 1;
        } else if (
          before.answerId !== answer.answerId ||
          (before.status === 'failed' && before.flexAnswerId !== answer.answerId)
        ) {
          await tx.scorecardAnswer.update({
            where: { id: before.id },
            data: {
              ...answer,
              position,
              status: 'pending',
              attempts: 0,
              nextAttemptAt: now,
              lastError: null,
            },
          });
          changed += 1;
        }
      }
      await tx.scorecard.update({
        where: { id: existing.id },
        data: { ...fields, revision: existing.revision + 1 },
      });
      return { id: existing.id, changed, repeated: false };
    }, SUBMIT_TRANSACTION);
    const scorecard = await this.find(id.id);
    if (!scorecard) throw new Error('A scorecard just stored could not be read back.');
    return { scorecard, changed: id.changed, repeated: id.repeated };
  }

  /**
   * Claims up to `limit` due answers nobody holds, each for one attempt. An answer whose earlier claim
   * lapsed (its instance stopped mid-attempt) is taken over with its outcome marked unknown.
   */
  async claimDue(now: Date, limit: number, leaseMs: number): Promise<AnswerToDeliver[]> {
    const due = await this.prisma.scorecardAnswer.findMany({
      where: {
        status: 'pending',
        nextAttemptAt: { lte: now },
        OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }],
      },
      orderBy: [{ nextAttemptAt: 'asc' }, { position: 'asc' }],
      take: limit,
      include: { scorecard: true },
    });
    const claimed: AnswerToDeliver[] = [];
    for (const row of due) {
      const lapsed = row.claimedUntil !== null;
      const { count } = await this.prisma.scorecardAnswer.updateMany({
        where: { id: row.id, status: 'pending', claimedUntil: row.claimedUntil },
        data: {
          claimedUntil: new Date(now.getTime() + leaseMs),
          attempts: { increment: 1 },
          ...(lapsed ? { outcomeUnknown: true } : {}),
        },
      });
      if (count !== 1) continue;
      claimed.push({
        ...toAnswer({ ...row, attempts: row.attempts + 1, outcomeUnknown: row.outcomeUnknown || lapsed }),
        scorecardId: row.scorecardId,
        reviewerId: row.scorecard.reviewerId,
        questionnaireSid: row.scorecard.questionnaireSid,
        segmentId: row.scorecard.segmentId,
        agentId: row.scorecard.agentId,
        offsetSeconds: row.scorecard.offsetSeconds,
      });
    }
    return claimed;
  }

  /** Flex holds this answer (created or updated). The answer may have changed since it was claimed: then it stays due. */
  async markPosted(answer: AnswerToDeliver, assessmentSid: string, now: Date): Promise<void> {
    const { count } = await this.prisma.scorecardAnswer.updateMany({
      where: { id: answer.id, answerId: answer.answerId },
      data: {
        status: 'posted',
        flexAssessmentSid: assessmentSid,
        flexAnswerId: answer.answerId,
        outcomeUnknown: false,
        claimedUntil: null,
        lastError: null,
        postedAt: now,
      },
    });
    if (count === 0) {
      await this.prisma.scorecardAnswer.updateMany({
        where: { id: answer.id },
        data: { flexAssessmentSid: assessmentSid, outcomeUnknown: false, claimedUntil: null },
      });
    }
  }

  // updateMany: an answer deleted meanwhile (its scorecard removed) is simply not there to mark.
  async markRetry(id: string, failure: { error: string; outcomeUnknown: boolean; nextAttemptAt: Date }): Promise<void> {
    await this.prisma.scorecardAnswer.updateMany({
      where: { id },
      data: {
        lastError: failure.error,
        nextAttemptAt: failure.nextAttemptAt,
        claimedUntil: null,
        ...(failure.outcomeUnknown ? { outcomeUnknown: true } : {}),
      },
    });
  }

  async markFailed(id: string, error: string): Promise<void> {
    await this.prisma.scorecardAnswer.updateMany({
      where: { id },
      data: { status: 'failed', lastError: error, claimedUntil: null },
    });
  }

  /** Sends a scorecard's failed answers again (the Retry button); how many. */
  async retryFailed(scorecardId: string, now: Date): Promise<number> {
    const { count } = await this.prisma.scorecardAnswer.updateMany({
      where: { scorecardId, status: 'failed' },
      data: { status: 'pending', attempts: 0, nextAttemptAt: now, lastError: null },
    });
    if (count > 0) {
      await this.prisma.scorecard.update({ where: { id: scorecardId }, data: { notifiedRevision: 0 } });
    }
    return count;
  }

  /**
   * Takes the one right to tell the reviewer how this revision ended, once none of its answers is pending;
   * the scorecard when taken, else null.
   */
  async claimNotification(scorecardId: string): Promise<Scorecard | null> {
    const scorecard = await this.find(scorecardId);
    if (!scorecard || scorecard.notifiedRevision >= scorecard.revision) return null;
    if (scorecard.answers.some((answer) => answer.status === 'pending')) return null;
    const { count } = await this.prisma.scorecard.updateMany({
      where: { id: scorecardId, revision: scorecard.revision, notifiedRevision: scorecard.notifiedRevision },
      data: { notifiedRevision: scorecard.revision },
    });
    return count === 1 ? scorecard : null;
  }
  /**
   * Scorecards whose latest revision has every answer in Flex and is not announced yet: the channel hears of
   * a scorecard once Flex holds all of it (and again after a re-score), as a comment once it is posted.
   */
  async dueAnnouncements(now: Date, limit: number): Promise<Scorecard[]> {
    const rows = await this.prisma.scorecard.findMany({
      where: {
        announcedRevision: { lt: this.prisma.scorecard.fields.revision },
        OR: [{ announceNextAttemptAt: null }, { announceNextAttemptAt: { lte: now } }],
        answers: { none: { status: { not: 'posted' } } },
      },
      include: { answers: { orderBy: { position: 'asc' } } },
      orderBy: { updatedAt: 'asc' },
      take: limit,
    });
    return rows.map(toScorecard);
  }

  /** Takes the one right to announce this revision now, for `leaseMs`; false when another instance has it. */
  async claimAnnouncement(scorecard: Pick<Scorecard, 'id' | 'revision'>, now: Date, leaseMs: number): Promise<boolean> {
    const { count } = await this.prisma.scorecard.updateMany({
      where: {
        id: scorecard.id,
        revision: scorecard.revision,
        announcedRevision: { lt: scorecard.revision },
        OR: [{ announceNextAttemptAt: null }, { announceNextAttemptAt: { lte: now } }],
      },
      data: { announceNextAttemptAt: new Date(now.getTime() + leaseMs) },
    });
    return count === 1;
  }

  /** The revision is announced (or given up on, with the reason). */
  async markAnnounced(scorecard: Pick<Scorecard, 'id' | 'revision'>, error: string | null = null): Promise<void> {
    await this.prisma.scorecard.updateMany({
      where: { id: scorecard.id },
      data: {
        announcedRevision: scorecard.revision,
        announceAttempts: 0,
        announceNextAttemptAt: null,
        announceError: error,
      },
    });
  }

  /** Announcing failed; tried again at `nextAttemptAt`. Returns the attempts made so far. */
  async markAnnounceRetry(id: string, error: string, nextAttemptAt: Date): Promise<number> {
    const row = await this.prisma.scorecard.update({
      where: { id },
      data: { announceAttempts: { increment: 1 }, announceError: error, announceNextAttemptAt: nextAttemptAt },
      select: { announceAttempts: true },
    });
    return row.announceAttempts;
  }
}

function toAnswer(row: ScorecardAnswerRow): StoredAnswer {
  return {
    id: row.id,
    position: row.position,
    questionSid: row.questionSid,
    questionText: row.questionText,
    categorySid: row.categorySid,
    categoryName: row.categoryName,
    answerId: row.answerId,
    answerText: row.answerText,
    score: row.score,
    status: row.status as AnswerStatus,
    attempts: row.attempts,
    outcomeUnknown: row.outcomeUnknown,
    lastError: row.lastError,
    flexAssessmentSid: row.flexAssessmentSid,
    flexAnswerId: row.flexAnswerId,
  };
}

function toScorecard(row: ScorecardRow & { answers: ScorecardAnswerRow[] }): Scorecard {
  return {
    id: row.id,
    workspaceId: row.slackWorkspaceId || null,
    reviewerId: row.reviewerId,
    questionnaireSid: row.questionnaireSid,
    questionnaireName: row.questionnaireName,
    segmentId: row.segmentId,
    agentId: row.agentId,
    offsetSeconds: row.offsetSeconds,
    submissionKey: row.submissionKey,
    slackTeamId: row.slackTeamId,
    slackUserId: row.slackUserId,
    slackChannelId: row.slackChannelId,
    slackMessageTs: row.slackMessageTs,
    slackThreadTs: row.slackThreadTs,
    slackResponseUrl: row.slackResponseUrl,
    slackViewId: row.slackViewId,
    callUrl: row.callUrl,
    revision: row.revision,
    notifiedRevision: row.notifiedRevision,
    announceAttempts: row.announceAttempts,
    answers: row.answers.map(toAnswer),
  };
}
