/**
 * What a call already holds before a reviewer adds to it: the comments and scorecard answers Flex has,
 * newest first, and what this app still has to send (or could not send) for it.
 */

/** A comment as Flex lists it. */
export interface HeldComment {
  assessmentSid: string | null;
  segmentId: string | null;
  text: string | null;
  categoryName: string | null;
  offsetSeconds: number | null;
  userName: string | null;
  userEmail: string | null;
  createdAt: Date | null;
}

/** One scorecard answer as Flex lists it. */
export interface HeldAnswer {
  assessmentSid: string;
  questionnaireSid: string | null;
  questionnaireName: string | null;
  questionText: string | null;
  categoryName: string | null;
  answerText: string | null;
  offsetSeconds: number | null;
  userName: string | null;
  userEmail: string | null;
  createdAt: Date | null;
}

export interface Author {
  name: string | null;
  email: string | null;
  /** The Slack user who posted it through this app, when it did: Flex may name only the Twilio account. */
  slackUserId: string | null;
}

/** One line of the history: a comment, or one reviewer's answers to one questionnaire. */
export type HistoryEntry =
  | {
      kind: 'comment';
      at: Date | null;
      author: Author;
      offsetSeconds: number | null;
      categoryName: string | null;
      text: string | null;
    }
  | {
      kind: 'scorecard';
      at: Date | null;
      author: Author;
      offsetSeconds: number | null;
      questionnaireName: string | null;
      answers: Array<{ categoryName: string | null; questionText: string | null; answerText: string | null }>;
    };

/** Something the app holds for the call that Flex does not (yet). */
export interface PendingItem {
  kind: 'comment' | 'scorecard';
  /** pending: still being sent; failed: Flex did not take it and it waits for a Retry. */
  status: 'pending' | 'failed';
  reviewerSlackUserId: string;
  createdAt: Date;
  offsetSeconds: number;
  /** A comment's category, or the questionnaire's name. */
  title: string;
  /** A comment's text, or how many answers. */
  detail: string;
  attempts: number;
  lastError: string | null;
}

/** A list call that failed: the error as the adapter raised it, for the view to explain. */
export interface HistoryProblem {
  /** `own answers`: those read with the viewer's own Flex Authorization value. */
  what: 'comments' | 'answers' | 'own answers';
  error: unknown;
}

export interface CallHistory {
  segmentId: string;
  entries: HistoryEntry[];
  pending: PendingItem[];
  /** False when Flex had more than the app reads for one view. */
  complete: boolean;
  problems: HistoryProblem[];
}

export interface CommentCount {
  count: number;
  more: boolean;
}

/** Reads Flex's lists; the Flex client's call history calls implement it (src/wiring/history.ts). */
export interface HeldOnCall {
  listComments(segmentId: string): Promise<{ items: HeldComment[]; complete: boolean }>;
  /** With a reviewer's own authorization, Flex lists that reviewer's answers; without, the app account's. */
  listAnswers(
    segmentId: string,
    options?: { authorization?: string },
  ): Promise<{ items: HeldAnswer[]; complete: boolean }>;
  countComments(segmentId: string): Promise<CommentCount>;
}

/** What the app's database holds for a call: what Flex does not have yet, and who posted what it has. */
export interface PendingOnCall {
  pendingFor(segmentId: string, workspaceId: string | undefined): Promise<PendingItem[]>;
  /** The Slack user behind each assessment SID the app posted on the call. */
  postedFor(segmentId: string, workspaceId: string | undefined): Promise<Map<string, string>>;
}

/**
 * Newest first; what has no time goes last. One reviewer's answers to one questionnaire are one entry,
 * dated by its newest answer, since Flex makes one assessment per question of a single scoring.
 */
export function orderHistory(
  comments: readonly HeldComment[],
  answers: readonly HeldAnswer[],
  postedBy: ReadonlyMap<string, string> = new Map(),
): HistoryEntry[] {
  const poster = (sid: string | null) => (sid ? (postedBy.get(sid) ?? null) : null);
  const entries: HistoryEntry[] = comments.map((comment) => ({
    kind: 'comment',
    at: comment.createdAt,
    author: { name: comment.userName, email: comment.userEmail, slackUserId: poster(comment.assessmentSid) },
    offsetSeconds: comment.offsetSeconds,
    categoryName: comment.categoryName,
    text: comment.text,
  }));
  const scorecards = new Map<string, Extract<HistoryEntry, { kind: 'scorecard' }>>();
  for (const answer of answers) {
    const key = JSON.stringify([answer.questionnaireSid, answer.userEmail ?? answer.userName]);
    const line = {
      categoryName: answer.categoryName,
      questionText: answer.questionText,
      answerText: answer.answerText,
    };
    const entry = scorecards.get(key);
    if (!entry) {
      scorecards.set(key, {
        kind: 'scorecard',
        at: answer.createdAt,
        author: { name: answer.userName, email: answer.userEmail, slackUserId: poster(answer.assessmentSid) },
        offsetSeconds: answer.offsetSeconds,
        questionnaireName: answer.questionnaireName,
        answers: [line],
      });
      continue;
    }
    entry.answers.push(line);
    entry.author.slackUserId ??= poster(answer.assessmentSid);
    if (answer.createdAt && (!entry.at || answer.createdAt > entry.at)) entry.at = answer.createdAt;
    if (entry.offsetSeconds !== answer.offsetSeconds) entry.offsetSeconds = null;
  }
  entries.push(...scorecards.values());
  return entries.sort((a, b) => (b.at?.getTime() ?? -Infinity) - (a.at?.getTime() ?? -Infinity));
}

/** Reads a call's history: Flex's two lists at once and the app's own rows; a failed list is a problem, not a failure. */
export class CallHistoryReader {
  constructor(
    private readonly deps: {
      flex: HeldOnCall;
      pending: PendingOnCall;
      /** A reviewer's own Flex Authorization value, when they have one. */
      credentials: { flexAuthorizationOf(identityId: string): Promise<string | undefined> };
      /** How long the form and the preview wait for a count before going on without one. */
      countTimeoutMs: number;
      onCountError?: (error: unknown) => void;
    },
  ) {}

  /**
   * `viewer` is the reviewer asking: Flex lists scorecard answers only to whoever made them, so the answers
   * made with their own Flex authorization are read with it, beside those made with the app's credentials.
   */
  async read(
    segmentId: string,
    workspaceId: string | undefined,
    viewer?: { identityId: string },
  ): Promise<CallHistory> {
    // A stored authorization that cannot be opened (SECRETS_KEY changed) costs only the viewer's own answers.
    const own = viewer
      ? await this.deps.credentials.flexAuthorizationOf(viewer.identityId).then(
          (value) => ({ value }),
          (error: unknown) => ({ error }),
        )
      : { value: undefined };
    const [comments, answers, ownAnswers, pending, posted] = await Promise.allSettled([
      this.deps.flex.listComments(segmentId),
      this.deps.flex.listAnswers(segmentId),
      'error' in own
        ? Promise.reject(own.error)
        : own.value
          ? this.deps.flex.listAnswers(segmentId, { authorization: own.value })
          : Promise.resolve(undefined),
      this.deps.pending.pendingFor(segmentId, workspaceId),
      this.deps.pending.postedFor(segmentId, workspaceId),
    ]);
    // The app's own rows are the one thing that must be read: a database failure is the caller's to report.
    if (pending.status === 'rejected') throw pending.reason;
    if (posted.status === 'rejected') throw posted.reason;
    const problems: HistoryProblem[] = [];
    if (comments.status === 'rejected') problems.push({ what: 'comments', error: comments.reason });
    if (answers.status === 'rejected') problems.push({ what: 'answers', error: answers.reason });
    if (ownAnswers.status === 'rejected') problems.push({ what: 'own answers', error: ownAnswers.reason });
    const ofThisCall = <T extends { segmentId?: string | null }>(item: T) =>
      !item.segmentId || item.segmentId.toLowerCase() === segmentId.toLowerCase();
    const heldComments = comments.status === 'fulfilled' ? comments.value.items.filter(ofThisCall) : [];
    const heldAnswers = new Map<string, HeldAnswer>();
    for (const listed of [answers, ownAnswers]) {
      if (listed.status !== 'fulfilled' || !listed.value) continue;
      for (const answer of listed.value.items) heldAnswers.set(answer.assessmentSid, answer);
    }
    return {
      segmentId,
      entries: orderHistory(heldComments, [...heldAnswers.values()], posted.value),
      pending: pending.value,
      complete: [comments, answers, ownAnswers].every(
        (listed) => listed.status !== 'fulfilled' || !listed.value || listed.value.complete,
      ),
      problems,
    };
  }

  /** The comment count for the form and the preview, or undefined when Flex cannot say in time. */
  async countComments(segmentId: string): Promise<CommentCount | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), this.deps.countTimeoutMs);
      timer.unref();
    });
    try {
      return await Promise.race([this.deps.flex.countComments(segmentId), late]);
    } catch (error) {
      this.deps.onCountError?.(error);
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }
}
