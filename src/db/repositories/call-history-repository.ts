import type { PendingItem, PendingOnCall } from '../../domain/calls/call-history.js';
import type { PrismaClient } from '../../generated/prisma/client.js';

const NOT_IN_FLEX = ['pending', 'failed'];
/** A call with more unsent rows than this has a problem the admin's `assessments list` shows better. */
const MAX_ROWS = 50;
/** As many as the history reads from Flex (5 pages of 1,000). */
const MAX_POSTED = 5_000;

/**
 * The comments and scorecard answers the app holds for a call that Flex does not (yet): pending or failed;
 * and, of those Flex holds, who posted them from Slack.
 */
export class CallHistoryRepository implements PendingOnCall {
  constructor(private readonly prisma: PrismaClient) {}

  async pendingFor(segmentId: string, workspaceId: string | undefined): Promise<PendingItem[]> {
    const id = segmentId.toLowerCase();
    const [comments, scorecards] = await Promise.all([
      // The (segmentId, agentId) index finds the call's rows.
      this.prisma.assessment.findMany({
        where: { segmentId: id, status: { in: NOT_IN_FLEX }, slackWorkspaceId: workspaceId ?? null },
        orderBy: { createdAt: 'desc' },
        take: MAX_ROWS,
      }),
      this.prisma.scorecard.findMany({
        where: {
          slackWorkspaceId: workspaceId ?? '',
          segmentId: id,
          answers: { some: { status: { in: NOT_IN_FLEX } } },
        },
        include: { answers: { where: { status: { in: NOT_IN_FLEX } } } },
        orderBy: { updatedAt: 'desc' },
        take: MAX_ROWS,
      }),
    ]);
    const items: PendingItem[] = comments.map((row) => ({
      kind: 'comment',
      status: row.status === 'failed' ? 'failed' : 'pending',
      reviewerSlackUserId: row.slackUserId,
      createdAt: row.createdAt,
      offsetSeconds: row.offsetSeconds,
      title: row.categoryName,
      detail: row.comment,
      attempts: row.attempts,
      lastError: row.lastError,
    }));
    for (const row of scorecards) {
      const failed = row.answers.filter((answer) => answer.status === 'failed');
      const count = row.answers.length;
      items.push({
        kind: 'scorecard',
        status: failed.length > 0 ? 'failed' : 'pending',
        reviewerSlackUserId: row.slackUserId,
        createdAt: row.updatedAt,
        offsetSeconds: row.offsetSeconds,
        title: row.questionnaireName,
        detail: `${count} ${count === 1 ? 'answer' : 'answers'} not in Flex yet`,
        attempts: Math.max(0, ...row.answers.map((answer) => answer.attempts)),
        lastError: (failed[0] ?? row.answers[0])?.lastError ?? null,
      });
    }
    return items.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  }

  async postedFor(segmentId: string, workspaceId: string | undefined): Promise<Map<string, string>> {
    const id = segmentId.toLowerCase();
    const [comments, scorecards] = await Promise.all([
      this.prisma.assessment.findMany({
        where: { segmentId: id, status: 'posted', slackWorkspaceId: workspaceId ?? null },
        select: { flexAssessmentSid: true, slackUserId: true },
        take: MAX_POSTED,
      }),
      this.prisma.scorecard.findMany({
        where: { slackWorkspaceId: workspaceId ?? '', segmentId: id },
        select: { slackUserId: true, answers: { where: { status: 'posted' }, select: { flexAssessmentSid: true } } },
        take: MAX_POSTED,
      }),
    ]);
    const posted = new Map<string, string>();
    for (const row of comments) if (row.flexAssessmentSid) posted.set(row.flexAssessmentSid, row.slackUserId);
    for (const row of scorecards) {
      for (const answer of row.answers)
        if (answer.flexAssessmentSid) posted.set(answer.flexAssessmentSid, row.slackUserId);
    }
    return posted;
  }
}
