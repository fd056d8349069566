import type {
  Feedback,
  FeedbackEvent,
  FeedbackEventKind,
  FeedbackKind,
  FeedbackState,
  FeedbackSubject,
  Resolution,
} from '../../domain/feedback/feedback.js';
import type {
  FeedbackEvent as FeedbackEventRow,
  Feedback as FeedbackRow,
  PrismaClient,
} from '../../generated/prisma/client.js';

/** How often a conditional change is tried again when someone else changed the row between read and write. */
const CHANGE_ATTEMPTS = 5;

/** The workspace key as stored: "" is the single workspace of SLACK_BOT_TOKEN (as Identity). */
const stored = (workspaceId: string | undefined | null) => workspaceId ?? '';

export interface NewFeedback {
  workspaceId: string | undefined;
  teamId: string;
  agentId: string;
  agentSlackUserId: string;
  reviewerSlackUserId: string;
}

/** What a step changes on the row, beside its state. */
export interface StepChange {
  acknowledgedAt?: Date;
  disputedAt?: Date;
  disputeReason?: string;
  resolvedAt?: Date;
  resolvedBySlackUserId?: string;
  resolution?: Resolution;
  resolutionNote?: string | null;
  revisedByAssessmentId?: string;
}

/**
 * Feedback rows and their events: the DMs' durable queue (a row is due while notifiedAt is null and
 * notifyNextAttemptAt has passed; a claim moves notifyNextAttemptAt past its lease), and every step as a
 * conditional update with its event in one transaction, so two clicks at once make one step.
 */
export class FeedbackRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Once per comment: a second call (an announcement tried again) changes nothing. */
  async recordComment(assessmentId: string, fields: NewFeedback, now: Date): Promise<void> {
    await this.prisma.feedback.upsert({
      where: { assessmentId },
      create: { ...this.newRow(fields, now), kind: 'comment', assessmentId },
      update: {},
    });
  }

  /**
   * Per scorecard revision: the first creates the row, a later revision makes it due again (a re-score
   * tells the agent again) and new, unless a dispute of it is still open. A step taken at the same moment
   * (a Revise recorded while the new revision's answers reach Flex) is never lost: each change is
   * conditional on the row as it was read, and read again when someone else changed it first.
   */
  async recordScorecard(scorecardId: string, revision: number, fields: NewFeedback, now: Date): Promise<void> {
    for (let attempt = 0; attempt < CHANGE_ATTEMPTS; attempt += 1) {
      const existing = await this.prisma.feedback.findUnique({ where: { scorecardId } });
      if (!existing) {
        try {
          await this.prisma.feedback.create({
            data: { ...this.newRow(fields, now), kind: 'scorecard', scorecardId, scorecardRevision: revision },
          });
          return;
        } catch (error) {
          // Another instance created it first: read it and change it, conditionally.
          if (!(await this.prisma.feedback.findUnique({ where: { scorecardId } }))) throw error;
          continue;
        }
      }
      if (existing.scorecardRevision >= revision) return;
      const { count } = await this.prisma.feedback.updateMany({
        where: { scorecardId, scorecardRevision: existing.scorecardRevision, state: existing.state },
        data: {
          scorecardRevision: revision,
          notifiedAt: null,
          notifyAttempts: 0,
          notifyNextAttemptAt: now,
          notifyError: null,
          agentSlackUserId: fields.agentSlackUserId,
          ...(existing.state === 'disputed' ? {} : { state: 'new' }),
        },
      });
      if (count === 1) return;
    }
    throw new Error(
      `The feedback of scorecard ${scorecardId} kept changing while its revision ${revision} was recorded.`,
    );
  }

  private newRow(fields: NewFeedback, now: Date) {
    return {
      slackWorkspaceId: stored(fields.workspaceId),
      slackTeamId: fields.teamId,
      agentId: fields.agentId,
      agentSlackUserId: fields.agentSlackUserId,
      reviewerSlackUserId: fields.reviewerSlackUserId,
      notifyNextAttemptAt: now,
    };
  }

  async dueNotifications(now: Date, limit: number): Promise<Feedback[]> {
    const rows = await this.prisma.feedback.findMany({
      where: { notifiedAt: null, notifyNextAttemptAt: { lte: now } },
      orderBy: { notifyNextAttemptAt: 'asc' },
      take: limit,
    });
    return rows.map(toFeedback);
  }

  /**
   * Takes a due DM for one try, so that of several instances one sends it; the lease is the next-attempt
   * time, so a try that died is taken up again once it passes.
   */
  async claimNotification(feedback: Feedback, now: Date, leaseMs: number): Promise<boolean> {
    const { count } = await this.prisma.feedback.updateMany({
      where: {
        id: feedback.id,
        notifiedAt: null,
        scorecardRevision: feedback.scorecardRevision,
        notifyNextAttemptAt: feedback.notifyNextAttemptAt,
      },
      data: { notifyNextAttemptAt: new Date(now.getTime() + leaseMs), notifyAttempts: { increment: 1 } },
    });
    return count === 1;
  }

  /** The DM is in Slack: where, and when (the comment's agentNotifiedAt too, as before). */
  async markNotified(feedback: Feedback, dm: { channelId: string; ts: string }, now: Date): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await tx.feedback.update({
        where: { id: feedback.id },
        data: {
          notifiedAt: now,
          notifyNextAttemptAt: null,
          notifyError: null,
          dmChannelId: dm.channelId,
          dmMessageTs: dm.ts,
        },
      });
      await tx.feedbackEvent.create({ data: { feedbackId: feedback.id, kind: 'notified', createdAt: now } });
      if (feedback.assessmentId) {
        await tx.assessment.updateMany({ where: { id: feedback.assessmentId }, data: { agentNotifiedAt: now } });
      }
    });
  }

  async markNotifyRetry(id: string, error: string, nextAttemptAt: Date): Promise<void> {
    await this.prisma.feedback.updateMany({
      where: { id, notifiedAt: null },
      data: { notifyError: error, notifyNextAttemptAt: nextAttemptAt },
    });
  }

  /** No DM will be sent (the agent muted them, or Slack kept refusing): not due any more, the reason kept. */
  async markNotifySettled(id: string, reason: string): Promise<void> {
    await this.prisma.feedback.updateMany({
      where: { id, notifiedAt: null },
      data: { notifyError: reason, notifyNextAttemptAt: null },
    });
  }

  async find(id: string): Promise<Feedback | null> {
    const row = await this.prisma.feedback.findUnique({ where: { id } });
    return row ? toFeedback(row) : null;
  }

  /**
   * One step: the state moves from one of `from` to `to` (or to what `to` makes of the row as read) with the
   * changes, and the event is recorded, in one transaction; the row after, or null when its state was not
   * one of `from` (someone else acted first). The change is conditional on the row as read, so a revision
   * recorded at the same moment is read again, not overwritten.
   */
  async step(
    id: string,
    from: readonly FeedbackState[],
    to: FeedbackState | ((now: Feedback) => FeedbackState),
    change: StepChange,
    event: { kind: FeedbackEventKind; slackUserId: string; note?: string | null; at: Date },
  ): Promise<Feedback | null> {
    const row = await this.prisma.$transaction(async (tx) => {
      for (let attempt = 0; attempt < CHANGE_ATTEMPTS; attempt += 1) {
        const before = await tx.feedback.findUnique({ where: { id } });
        if (!before || !from.includes(before.state as FeedbackState)) return null;
        const state = typeof to === 'function' ? to(toFeedback(before)) : to;
        const { count } = await tx.feedback.updateMany({
          where: { id, state: before.state, scorecardRevision: before.scorecardRevision },
          data: { ...change, state },
        });
        if (count !== 1) continue;
        await tx.feedbackEvent.create({
          data: {
            feedbackId: id,
            kind: event.kind,
            slackUserId: event.slackUserId,
            note: event.note ?? null,
            createdAt: event.at,
          },
        });
        return tx.feedback.findUnique({ where: { id } });
      }
      throw new Error(`Feedback ${id} kept changing while a ${event.kind} step was recorded.`);
    });
    return row ? toFeedback(row) : null;
  }

  /** Where the dispute was posted for the QA team, so later steps reply in its thread. */
  async setDisputeMessage(id: string, message: { channelId: string; ts: string }): Promise<void> {
    await this.prisma.feedback.updateMany({
      where: { id },
      data: { disputeChannelId: message.channelId, disputeMessageTs: message.ts },
    });
  }

  /** The comment or scorecard the feedback stands for, as it is now; null when it is gone. */
  async subjectOf(feedback: Feedback): Promise<FeedbackSubject | null> {
    const thread = (row: { slackChannelId: string | null; slackThreadTs: string | null }) =>
      row.slackChannelId && row.slackThreadTs ? { channelId: row.slackChannelId, threadTs: row.slackThreadTs } : null;
    if (feedback.assessmentId) {
      const row = await this.prisma.assessment.findUnique({ where: { id: feedback.assessmentId } });
      if (!row) return null;
      return {
        segmentId: row.segmentId,
        offsetSeconds: row.offsetSeconds,
        callUrl: row.callUrl,
        reviewerThread: thread(row),
        comment: {
          categoryId: row.categoryId,
          categoryName: row.categoryName,
          text: row.comment,
          createdAt: row.createdAt,
        },
      };
    }
    if (!feedback.scorecardId) return null;
    const row = await this.prisma.scorecard.findUnique({
      where: { id: feedback.scorecardId },
      include: { answers: { orderBy: { position: 'asc' } } },
    });
    if (!row) return null;
    return {
      segmentId: row.segmentId,
      offsetSeconds: row.offsetSeconds,
      callUrl: row.callUrl,
      reviewerThread: thread(row),
      scorecard: {
        questionnaireName: row.questionnaireName,
        questionnaireSid: row.questionnaireSid,
        agentId: row.agentId,
        revision: row.revision,
        answers: row.answers.map((a) => ({ categorySid: a.categorySid, categoryName: a.categoryName, score: a.score })),
        given: row.answers.map((a) => ({ questionSid: a.questionSid, answerId: a.answerId })),
      },
    };
  }

  async events(feedbackId: string): Promise<FeedbackEvent[]> {
    const rows = await this.prisma.feedbackEvent.findMany({ where: { feedbackId }, orderBy: { createdAt: 'asc' } });
    return rows.map(toEvent);
  }

  /** The agent's feedback, latest first. */
  async ofAgent(workspaceId: string | undefined, slackUserId: string, limit: number): Promise<Feedback[]> {
    const rows = await this.prisma.feedback.findMany({
      where: { slackWorkspaceId: stored(workspaceId), agentSlackUserId: slackUserId },
      orderBy: { createdAt: 'desc' },
      take: limit,
    });
    return rows.map(toFeedback);
  }

  async isMuted(teamId: string, slackUserId: string): Promise<boolean> {
    const row = await this.prisma.memberPreference.findUnique({
      where: { slackTeamId_slackUserId: { slackTeamId: teamId, slackUserId } },
    });
    return row?.feedbackDmsMuted ?? false;
  }

  async setMuted(teamId: string, slackUserId: string, muted: boolean): Promise<void> {
    await this.prisma.memberPreference.upsert({
      where: { slackTeamId_slackUserId: { slackTeamId: teamId, slackUserId } },
      create: { slackTeamId: teamId, slackUserId, feedbackDmsMuted: muted },
      update: { feedbackDmsMuted: muted },
    });
  }
}

function toFeedback(row: FeedbackRow): Feedback {
  return {
    id: row.id,
    workspaceId: row.slackWorkspaceId || undefined,
    kind: row.kind as FeedbackKind,
    assessmentId: row.assessmentId,
    scorecardId: row.scorecardId,
    scorecardRevision: row.scorecardRevision,
    teamId: row.slackTeamId,
    agentId: row.agentId,
    agentSlackUserId: row.agentSlackUserId,
    reviewerSlackUserId: row.reviewerSlackUserId,
    state: row.state as FeedbackState,
    dmChannelId: row.dmChannelId,
    dmMessageTs: row.dmMessageTs,
    notifiedAt: row.notifiedAt,
    notifyAttempts: row.notifyAttempts,
    notifyNextAttemptAt: row.notifyNextAttemptAt,
    acknowledgedAt: row.acknowledgedAt,
    disputedAt: row.disputedAt,
    disputeReason: row.disputeReason,
    disputeChannelId: row.disputeChannelId,
    disputeMessageTs: row.disputeMessageTs,
    resolvedAt: row.resolvedAt,
    resolvedBySlackUserId: row.resolvedBySlackUserId,
    resolution: row.resolution as Resolution | null,
    resolutionNote: row.resolutionNote,
    revisedByAssessmentId: row.revisedByAssessmentId,
    createdAt: row.createdAt,
  };
}

function toEvent(row: FeedbackEventRow): FeedbackEvent {
  return {
    kind: row.kind as FeedbackEventKind,
    slackUserId: row.slackUserId,
    note: row.note,
    createdAt: row.createdAt,
  };
}
