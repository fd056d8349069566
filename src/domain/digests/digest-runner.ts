/**
 * Sends each week's digests once, however many instances run: every audience of a period (the workspace's
 * channel, each team's channel, each agent's DM) is claimed in the database first, and each step that reaches
 * Slack is recorded as soon as it is done, so an instance that takes over a lapsed claim finishes the job
 * without posting what was already posted. Nothing is kept in memory between passes.
 */
import { safeErrorMessage } from '../../logging/redaction.js';
import { type DigestPeriod, describePeriod, duePeriod } from './period.js';
import {
  type AgentWeek,
  buildWeekDigest,
  factsAbout,
  hasChart,
  type WeekDigest,
  type WeekFacts,
} from './week-digest.js';

export interface DigestSchedule {
  channelId: string | undefined;
  cron: string;
  timeZone: string;
  teamChannels: ReadonlyMap<string, string>;
  agentSummaries: boolean;
  chart: boolean;
  leaseMs: number;
  catchUpMs: number;
}

export interface DigestRunKey {
  workspaceId: string;
  audience: string;
  periodEnd: string;
}

export interface ClaimedRun {
  id: string;
  attempts: number;
  messageTs: string | null;
  channelId: string | null;
  chartSharedAt: Date | null;
}

/** The database side (DigestRepository). */
export interface DigestStore {
  factsFor(workspaceId: string, period: DigestPeriod): Promise<WeekFacts>;
  linkedAgents(
    workspaceId: string,
  ): Promise<Array<{ agentId: string; slackUserId: string; slackTeamId: string | null; name: string }>>;
  feedbackDmsMuted(slackUserId: string, slackTeamId: string | null): Promise<boolean>;
  /** The audiences of the week already done (sent, skipped or given up), by audience key. */
  doneAudiences(workspaceId: string, periodEnd: string): Promise<Set<string>>;
  /** The run, now this instance's; or 'done' (sent or skipped before), or 'held' (another instance is on it). */
  claim(key: DigestRunKey, instance: string, leaseMs: number, now: Date): Promise<ClaimedRun | 'done' | 'held'>;
  renew(id: string, instance: string, leaseMs: number, now: Date): Promise<boolean>;
  recordMessage(id: string, instance: string, channelId: string, messageTs: string): Promise<void>;
  recordChart(id: string, instance: string, fileId: string, now: Date): Promise<void>;
  finish(id: string, instance: string, outcome: string, now: Date): Promise<void>;
  failed(
    id: string,
    instance: string,
    error: string,
    retryAt: Date,
    attempts: number,
    maxAttempts: number,
    now: Date,
  ): Promise<void>;
}

export interface DigestView {
  teamName?: string | undefined;
  periodLabel: string;
  teamsWithOwnChannel: ReadonlySet<string>;
  withChart: boolean;
}

/** The Slack side: the messages, the chart's upload. */
export interface DigestOutbox {
  postDigest(
    workspaceId: string,
    channelId: string,
    digest: WeekDigest,
    view: DigestView,
  ): Promise<{ channelId: string; ts: string }>;
  postSummary(
    workspaceId: string,
    slackUserId: string,
    agent: AgentWeek,
    periodLabel: string,
  ): Promise<{ channelId: string; ts: string }>;
  /** Uploads the PNG and shares it in the channel; returns Slack's file id. */
  shareChart(
    workspaceId: string,
    channelId: string,
    chart: { png: Buffer; title: string; altText: string; comment: string },
  ): Promise<string>;
}

export type ChartRenderer = (digest: WeekDigest, timeZone: string) => Promise<{ png: Buffer } | undefined>;

/** One audience of a period: who gets what. */
export interface DigestAudience {
  audience: string;
  /** The channel, or for an agent's summary their Slack user id (the DM). */
  to: string;
  kind: 'digest' | 'summary';
  digest: WeekDigest;
  view: DigestView;
  agent?: AgentWeek;
  /** Set when it is not sent, and why. */
  skip?: string;
}

export interface DigestRunnerDeps {
  store: DigestStore;
  outbox: DigestOutbox;
  renderChart?: ChartRenderer;
  schedule: DigestSchedule;
  /** This instance, as its claims name it. */
  instance: string;
  /**
   * The workspaces to send digests for, each with its schedule as it stands now ("" is the single workspace of
   * SLACK_BOT_TOKEN). Asked on every pass: a workspace's settings live in the database, not here.
   */
  workspaces: () => Promise<Array<{ workspaceId: string; schedule: DigestSchedule }>>;
  now?: () => Date;
  onError?: (what: string, error: unknown) => void;
}

/** How often a failed digest is tried before it is given up (each after the lease or a minute). */
const MAX_ATTEMPTS = 5;

export interface SendReport {
  audience: string;
  /** done: sent (or skipped) before; held: another instance is sending it now. */
  outcome: 'sent' | 'skipped' | 'done' | 'held' | 'failed';
  detail?: string;
}

export class DigestRunner {
  private readonly now: () => Date;

  constructor(private readonly deps: DigestRunnerDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** One pass of the schedule: for each workspace, the week due now, if any is. */
  async runOnce(): Promise<SendReport[]> {
    const reports: SendReport[] = [];
    for (const { workspaceId, schedule } of await this.deps.workspaces()) {
      try {
        const period = duePeriod(schedule.cron, schedule.timeZone, this.now(), schedule.catchUpMs);
        if (!period) continue;
        reports.push(...(await this.sendPeriod(workspaceId, period, schedule)));
      } catch (error) {
        this.deps.onError?.('Sending the weekly digests failed', error);
      }
    }
    return reports;
  }

  /** Everyone who gets something for the week, and what (the admin command's preview shows this). */
  async audiences(
    workspaceId: string,
    period: DigestPeriod,
    schedule: DigestSchedule = this.deps.schedule,
  ): Promise<DigestAudience[]> {
    const { store } = this.deps;
    const facts = await store.factsFor(workspaceId, period);
    const periodLabel = describePeriod(period, schedule.timeZone);
    const teamsWithOwnChannel = new Set(schedule.teamChannels.keys());
    const audiences: DigestAudience[] = [];
    const whole = buildWeekDigest(facts);
    if (schedule.channelId) {
      audiences.push({
        audience: 'workspace',
        to: schedule.channelId,
        kind: 'digest',
        digest: whole,
        view: { periodLabel, teamsWithOwnChannel, withChart: schedule.chart && hasChart(whole) },
      });
    }
    for (const [teamName, channelId] of schedule.teamChannels) {
      const digest = buildWeekDigest(factsAbout(facts, (agentId) => facts.agents.get(agentId)?.teamName === teamName));
      audiences.push({
        audience: `team:${teamName}`,
        to: channelId,
        kind: 'digest',
        digest,
        view: { teamName, periodLabel, teamsWithOwnChannel, withChart: schedule.chart && hasChart(digest) },
      });
    }
    if (schedule.agentSummaries) {
      for (const linked of await store.linkedAgents(workspaceId)) {
        const agent = whole.agents.find((a) => a.agentId === linked.agentId);
        const muted = await store.feedbackDmsMuted(linked.slackUserId, linked.slackTeamId);
        audiences.push({
          audience: `agent:${linked.slackUserId}`,
          to: linked.slackUserId,
          kind: 'summary',
          digest: whole,
          view: { periodLabel, teamsWithOwnChannel, withChart: false },
          ...(agent ? { agent } : {}),
          ...(muted ? { skip: 'muted' } : !agent ? { skip: 'nothing this week' } : {}),
        });
      }
    }
    return audiences;
  }

  /** Sends (or finishes sending) every audience of the week not sent yet; held ones are left to their holder. */
  async sendPeriod(
    workspaceId: string,
    period: DigestPeriod,
    schedule: DigestSchedule = this.deps.schedule,
  ): Promise<SendReport[]> {
    // Every instance asks every DIGEST_POLL_MS for hours after the time: once all is done, the week's facts
    // are not read again.
    const keys = await this.audienceKeys(workspaceId, schedule);
    const done = await this.deps.store.doneAudiences(workspaceId, period.end.toISOString());
    if (keys.every((key) => done.has(key))) return keys.map((audience) => ({ audience, outcome: 'done' }));
    const reports: SendReport[] = [];
    for (const audience of await this.audiences(workspaceId, period, schedule)) {
      reports.push(await this.sendOne(workspaceId, period, audience, schedule));
    }
    return reports;
  }

  /** Who gets something for the week, without reading the week. */
  private async audienceKeys(workspaceId: string, schedule: DigestSchedule): Promise<string[]> {
    const { store } = this.deps;
    return [
      ...(schedule.channelId ? ['workspace'] : []),
      ...[...schedule.teamChannels.keys()].map((team) => `team:${team}`),
      ...(schedule.agentSummaries
        ? (await store.linkedAgents(workspaceId)).map((agent) => `agent:${agent.slackUserId}`)
        : []),
    ];
  }

  private async sendOne(
    workspaceId: string,
    period: DigestPeriod,
    audience: DigestAudience,
    schedule: DigestSchedule,
  ): Promise<SendReport> {
    const { store, outbox, instance } = this.deps;
    const key = { workspaceId, audience: audience.audience, periodEnd: period.end.toISOString() };
    const run = await store.claim(key, instance, schedule.leaseMs, this.now());
    if (run === 'done' || run === 'held') return { audience: audience.audience, outcome: run };
    const lost = (): SendReport => ({ audience: audience.audience, outcome: 'held', detail: 'lease lost' });
    try {
      if (audience.skip) {
        await store.finish(run.id, instance, `skipped: ${audience.skip}`, this.now());
        return { audience: audience.audience, outcome: 'skipped', detail: audience.skip };
      }
      let channelId = run.channelId;
      if (!run.messageTs) {
        if (!(await store.renew(run.id, instance, schedule.leaseMs, this.now()))) return lost();
        const posted =
          audience.kind === 'summary' && audience.agent
            ? await outbox.postSummary(workspaceId, audience.to, audience.agent, audience.view.periodLabel)
            : await outbox.postDigest(workspaceId, audience.to, audience.digest, audience.view);
        channelId = posted.channelId;
        await store.recordMessage(run.id, instance, posted.channelId, posted.ts);
      }
      if (audience.kind === 'digest' && audience.view.withChart && !run.chartSharedAt && this.deps.renderChart) {
        if (!(await store.renew(run.id, instance, schedule.leaseMs, this.now()))) return lost();
        const chart = await this.deps.renderChart(audience.digest, schedule.timeZone);
        if (chart && channelId) {
          if (!(await store.renew(run.id, instance, schedule.leaseMs, this.now()))) return lost();
          const who = audience.view.teamName ? `${audience.view.teamName}: ` : '';
          const fileId = await outbox.shareChart(workspaceId, channelId, {
            png: chart.png,
            title: `${who}QM week ${audience.view.periodLabel}`,
            altText: `${who}average score per agent by week, and comments per category, for ${audience.view.periodLabel}`,
            comment: `${who}scores per agent over the last weeks, and comments per category`,
          });
          await store.recordChart(run.id, instance, fileId, this.now());
        }
      }
      await store.finish(run.id, instance, 'sent', this.now());
      return { audience: audience.audience, outcome: 'sent' };
    } catch (error) {
      const now = this.now();
      const retryAt = new Date(now.getTime() + Math.min(schedule.leaseMs, 60_000));
      // Stored as the run's lastError and printed by `npm run digest`: a database error's reason, not its call.
      const detail = safeErrorMessage(error);
      await store.failed(run.id, instance, detail, retryAt, run.attempts, MAX_ATTEMPTS, now);
      this.deps.onError?.(
        `Sending the digest for ${audience.kind === 'summary' ? 'an agent' : audience.audience} failed`,
        error,
      );
      return { audience: audience.audience, outcome: 'failed', detail };
    }
  }
}
