/**
 * What a week of reviews comes to, for a workspace, a team or one agent: pure arithmetic over the facts the
 * database holds (comments, scorecards and what agents did with them), no Slack and no SQL.
 */
import { type DigestPeriod, weeksEarlier } from './period.js';

export interface CommentFact {
  agentId: string;
  categoryName: string;
  reviewerKey: string;
  at: Date;
}

export interface ScorecardFact {
  agentId: string;
  reviewerKey: string;
  /** The mean of the answered questions' scores (0-100); null when every answer was N/A. */
  score: number | null;
  at: Date;
}

/** What one agent was told about (a comment or scorecard) and what they did with it. */
export interface FeedbackFact {
  agentId: string;
  reviewerSlackUserId: string;
  state: string;
  createdAt: Date;
  acknowledgedAt: Date | null;
  disputedAt: Date | null;
}

export interface PersonInfo {
  name: string;
  slackUserId: string | null;
  teamName: string | null;
}

export interface WeekFacts {
  period: DigestPeriod;
  /** Comments posted in the week. */
  comments: CommentFact[];
  /** Scorecards of the chart's weeks (the digest's week and the ones before it). */
  scorecards: ScorecardFact[];
  /** Feedback the agents were told of in the week. */
  feedback: FeedbackFact[];
  /** Disputes still open now, whenever raised. */
  openDisputes: FeedbackFact[];
  /** Agents by Flex agent id, and reviewers by key (identity id), as the identities know them. */
  agents: ReadonlyMap<string, PersonInfo>;
  reviewers: ReadonlyMap<string, PersonInfo>;
}

export interface AgentWeek {
  agentId: string;
  name: string;
  slackUserId: string | null;
  teamName: string | null;
  comments: number;
  scorecards: number;
  average: number | null;
  previousAverage: number | null;
  categories: Array<{ name: string; comments: number }>;
  told: number;
  acknowledged: number;
  disputed: number;
}

export interface WeekDigest {
  period: DigestPeriod;
  comments: number;
  scorecards: number;
  average: number | null;
  previousAverage: number | null;
  agents: AgentWeek[];
  categories: Array<{ name: string; comments: number }>;
  teams: Array<{
    name: string;
    comments: number;
    scorecards: number;
    average: number | null;
    previousAverage: number | null;
  }>;
  feedback: { told: number; acknowledged: number; disputed: number };
  openDisputes: Array<{ agentName: string; reviewerName: string; since: Date }>;
  reviewers: Array<{ name: string; comments: number; scorecards: number }>;
  /** Average score per agent per week, oldest week first, for the chart. */
  weeklyScores: Array<{ weekStart: Date; agentName: string; average: number }>;
}

export const CHART_WEEKS = 6;

const inRange = (at: Date, from: Date, to: Date) => at >= from && at < to;

export function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Keeps only the facts about the agents `include` accepts (a team's digest, or one agent's summary). */
export function factsAbout(facts: WeekFacts, include: (agentId: string) => boolean): WeekFacts {
  return {
    ...facts,
    comments: facts.comments.filter((c) => include(c.agentId)),
    scorecards: facts.scorecards.filter((s) => include(s.agentId)),
    feedback: facts.feedback.filter((f) => include(f.agentId)),
    openDisputes: facts.openDisputes.filter((f) => include(f.agentId)),
  };
}

/** Whether the week's chart has anything to draw: scores in the last weeks, or comments this week. */
export function hasChart(digest: WeekDigest): boolean {
  return digest.weeklyScores.length > 0 || digest.categories.some((category) => category.comments > 0);
}

export function agentName(facts: WeekFacts, agentId: string): string {
  return facts.agents.get(agentId)?.name ?? `Agent ${agentId}`;
}

export function buildWeekDigest(facts: WeekFacts): WeekDigest {
  const { period } = facts;
  const thisWeek = facts.scorecards.filter((s) => inRange(s.at, period.start, period.end));
  const weekBefore = facts.scorecards.filter((s) => inRange(s.at, period.previousStart, period.start));
  const scores = (cards: ScorecardFact[]) => cards.flatMap((c) => (c.score === null ? [] : [c.score]));

  const agentIds = new Set([
    ...facts.comments.map((c) => c.agentId),
    ...thisWeek.map((s) => s.agentId),
    ...facts.feedback.map((f) => f.agentId),
  ]);
  const agents: AgentWeek[] = [...agentIds].map((agentId) => {
    const info = facts.agents.get(agentId);
    const comments = facts.comments.filter((c) => c.agentId === agentId);
    const cards = thisWeek.filter((s) => s.agentId === agentId);
    const feedback = facts.feedback.filter((f) => f.agentId === agentId);
    return {
      agentId,
      name: agentName(facts, agentId),
      slackUserId: info?.slackUserId ?? null,
      teamName: info?.teamName ?? null,
      comments: comments.length,
      scorecards: cards.length,
      average: mean(scores(cards)),
      previousAverage: mean(scores(weekBefore.filter((s) => s.agentId === agentId))),
      categories: countBy(comments, (c) => c.categoryName),
      told: feedback.length,
      acknowledged: feedback.filter((f) => f.acknowledgedAt !== null).length,
      disputed: feedback.filter((f) => f.disputedAt !== null).length,
    };
  });
  agents.sort((a, b) => b.comments + b.scorecards - (a.comments + a.scorecards) || a.name.localeCompare(b.name));

  const teamNames = [...new Set(agents.flatMap((a) => (a.teamName ? [a.teamName] : [])))].sort();
  const teams = teamNames.map((name) => {
    const inTeam = (agentId: string) => facts.agents.get(agentId)?.teamName === name;
    return {
      name,
      comments: facts.comments.filter((c) => inTeam(c.agentId)).length,
      scorecards: thisWeek.filter((s) => inTeam(s.agentId)).length,
      average: mean(scores(thisWeek.filter((s) => inTeam(s.agentId)))),
      previousAverage: mean(scores(weekBefore.filter((s) => inTeam(s.agentId)))),
    };
  });

  const reviewerKeys = new Set([...facts.comments.map((c) => c.reviewerKey), ...thisWeek.map((s) => s.reviewerKey)]);
  const reviewers = [...reviewerKeys]
    .map((key) => ({
      name: facts.reviewers.get(key)?.name ?? 'Unknown reviewer',
      comments: facts.comments.filter((c) => c.reviewerKey === key).length,
      scorecards: thisWeek.filter((s) => s.reviewerKey === key).length,
    }))
    .sort((a, b) => b.comments + b.scorecards - (a.comments + a.scorecards) || a.name.localeCompare(b.name));

  const reviewerBySlackUser = new Map(
    [...facts.reviewers.values()].flatMap((r) => (r.slackUserId ? [[r.slackUserId, r.name] as const] : [])),
  );
  const weeklyScores: WeekDigest['weeklyScores'] = [];
  for (let week = CHART_WEEKS - 1; week >= 0; week -= 1) {
    const weekStart = weeksEarlier(period.end, week + 1, period.timeZone);
    const weekEnd = weeksEarlier(period.end, week, period.timeZone);
    const cards = facts.scorecards.filter((s) => inRange(s.at, weekStart, weekEnd));
    for (const agentId of new Set(cards.map((c) => c.agentId))) {
      const average = mean(scores(cards.filter((c) => c.agentId === agentId)));
      if (average !== null) weeklyScores.push({ weekStart, agentName: agentName(facts, agentId), average });
    }
  }

  return {
    period,
    comments: facts.comments.length,
    scorecards: thisWeek.length,
    average: mean(scores(thisWeek)),
    previousAverage: mean(scores(weekBefore)),
    agents,
    categories: countBy(facts.comments, (c) => c.categoryName),
    teams,
    feedback: {
      told: facts.feedback.length,
      acknowledged: facts.feedback.filter((f) => f.acknowledgedAt !== null).length,
      disputed: facts.feedback.filter((f) => f.disputedAt !== null).length,
    },
    openDisputes: [...facts.openDisputes]
      .sort((a, b) => (a.disputedAt ?? a.createdAt).getTime() - (b.disputedAt ?? b.createdAt).getTime())
      .map((f) => ({
        agentName: agentName(facts, f.agentId),
        reviewerName: reviewerBySlackUser.get(f.reviewerSlackUserId) ?? 'a reviewer',
        since: f.disputedAt ?? f.createdAt,
      })),
    reviewers,
    weeklyScores,
  };
}

/** Whether the week holds anything worth a message (a quiet week's digest says so in one line instead). */
export function isQuiet(digest: WeekDigest): boolean {
  return (
    digest.comments === 0 && digest.scorecards === 0 && digest.feedback.told === 0 && digest.openDisputes.length === 0
  );
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Array<{ name: string; comments: number }> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return [...counts]
    .map(([name, comments]) => ({ name, comments }))
    .sort((a, b) => b.comments - a.comments || a.name.localeCompare(b.name));
}
