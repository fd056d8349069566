/**
 * The digest and the agent's weekly summary as Slack messages: pure functions from a WeekDigest to Block
 * Kit. Names come from Flex and identities (people typed them), so every one is escaped; people are named,
 * not mentioned, so a digest does not notify everyone in it. Block Kit limits (test/fakes/slack/
 * block-kit-rules.ts): 50 blocks a message, a header's text ≤150, a section's text ≤3000, ≤10 fields of
 * ≤2000 each, ≤10 context elements.
 */

import type { AgentWeek, WeekDigest } from '../../domain/digests/week-digest.js';
import { formatScore } from '../../domain/scorecards/score.js';
import { escapeMrkdwn, truncate } from '../views/mrkdwn.js';

type Block = Record<string, unknown>;

export interface DigestMessage {
  text: string;
  blocks: Block[];
}

const MAX_BLOCKS = 50;
const SECTION_MAX = 3000;
const NAME_MAX = 60;
/** Agents listed by name: a longer list is a wall no one reads in a channel (the preview shows everyone). */
const MAX_AGENTS_LISTED = 40;

const name = (text: string) => escapeMrkdwn(truncate(text, NAME_MAX));
const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
const percent = (part: number, whole: number) => (whole === 0 ? 'n/a' : `${Math.round((part / whole) * 100)}%`);

/** "72.5% (▲ 3.1 from 69.4%)", or the score alone when the week before had none. */
export function scoreWithChange(average: number | null, previous: number | null): string {
  if (average === null) return 'n/a';
  if (previous === null) return formatScore(average);
  // From the scores as shown, so "50.4% (▲ 0.1 from 50.3%)" never reads "no change".
  const change = Math.round(Math.round(average * 10) - Math.round(previous * 10)) / 10;
  const arrow = change > 0 ? `▲ ${change}` : change < 0 ? `▼ ${Math.abs(change)}` : 'no change';
  return `${formatScore(average)} (${arrow} from ${formatScore(previous)})`;
}

const section = (text: string): Block => ({ type: 'section', text: { type: 'mrkdwn', text } });
const context = (text: string): Block => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });

/** Lines packed into as few sections as fit 3000 characters each. */
function sections(title: string, lines: string[]): Block[] {
  const blocks: Block[] = [];
  let current = `*${title}*`;
  for (const line of lines) {
    const piece = truncate(line, SECTION_MAX - 100);
    if (current.length + 1 + piece.length > SECTION_MAX) {
      blocks.push(section(current));
      current = piece;
    } else current = `${current}\n${piece}`;
  }
  blocks.push(section(current));
  return blocks;
}

function agentLine(agent: AgentWeek): string {
  const parts = [plural(agent.comments, 'comment'), plural(agent.scorecards, 'scorecard')];
  if (agent.average !== null) parts.push(`score ${scoreWithChange(agent.average, agent.previousAverage)}`);
  if (agent.told > 0) parts.push(`acknowledged ${agent.acknowledged}/${agent.told}`);
  if (agent.disputed > 0) parts.push(plural(agent.disputed, 'dispute'));
  return `• *${name(agent.name)}*: ${parts.join(' · ')}`;
}

export interface DigestOptions {
  /** "Billing" for a team's digest; undefined for the workspace's. */
  teamName?: string | undefined;
  /** The week's days, in the schedule's time zone. */
  periodLabel: string;
  /** Teams whose digest went to their own channel: left out of the agent list here. */
  teamsWithOwnChannel?: ReadonlySet<string>;
  /** Say that the chart follows. */
  withChart?: boolean;
}

export function digestMessage(digest: WeekDigest, options: DigestOptions): DigestMessage {
  const title = options.teamName ? `QM week: ${truncate(options.teamName, 80)}` : 'QM week';
  const text = `${title}, ${options.periodLabel}: ${plural(digest.comments, 'comment')}, ${plural(digest.scorecards, 'scorecard')}, average score ${scoreWithChange(digest.average, digest.previousAverage)}`;
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(title, 150), emoji: true } },
    context(`${escapeMrkdwn(options.periodLabel)} · from Flex QM's records`),
  ];
  if (digest.comments === 0 && digest.scorecards === 0 && digest.feedback.told === 0) {
    blocks.push(section('A quiet week: no comments or scorecards reached Flex.'));
  } else {
    const { told, acknowledged, disputed } = digest.feedback;
    blocks.push({
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Comments*\n${digest.comments}` },
        { type: 'mrkdwn', text: `*Scorecards*\n${digest.scorecards}` },
        { type: 'mrkdwn', text: `*Average score*\n${scoreWithChange(digest.average, digest.previousAverage)}` },
        {
          type: 'mrkdwn',
          text: `*Agents told*\n${told} · acknowledged ${percent(acknowledged, told)} · disputed ${percent(disputed, told)}`,
        },
      ],
    });
  }
  const pieces: Block[][] = [];
  if (digest.teams.length > 0 && !options.teamName) {
    pieces.push(
      sections(
        'By team',
        digest.teams.map(
          (t) =>
            `• *${name(t.name)}*: ${plural(t.comments, 'comment')} · ${plural(t.scorecards, 'scorecard')} · score ${scoreWithChange(t.average, t.previousAverage)}`,
        ),
      ),
    );
  }
  if (digest.categories.length > 0) {
    pieces.push(
      sections(
        'Comments per category',
        digest.categories.map((c) => `• ${name(c.name)}: ${c.comments}`),
      ),
    );
  }
  if (digest.openDisputes.length > 0) {
    const shown = digest.openDisputes.slice(0, 15);
    const lines = shown.map(
      (d) =>
        `• ${name(d.agentName)} disputes feedback from ${name(d.reviewerName)} · since <!date^${Math.floor(d.since.getTime() / 1000)}^{date_short}|${d.since.toISOString().slice(0, 10)}>`,
    );
    if (digest.openDisputes.length > shown.length) lines.push(`…and ${digest.openDisputes.length - shown.length} more`);
    pieces.push(sections(`Open disputes (${digest.openDisputes.length})`, lines));
  }
  if (digest.reviewers.length > 0) {
    pieces.push(
      sections(
        'Most active reviewers',
        digest.reviewers
          .slice(0, 5)
          .map((r) => `• ${name(r.name)}: ${plural(r.comments, 'comment')}, ${plural(r.scorecards, 'scorecard')}`),
      ),
    );
  }
  const eligible = options.teamName
    ? digest.agents
    : digest.agents.filter((a) => !a.teamName || !options.teamsWithOwnChannel?.has(a.teamName));
  // The most active first (buildWeekDigest's order).
  const listed = eligible.slice(0, MAX_AGENTS_LISTED);
  const unlisted = eligible.length - listed.length;
  if (listed.length > 0) {
    if (options.teamName || digest.teams.length === 0) pieces.push(sections('Per agent', listed.map(agentLine)));
    else {
      const byTeam = new Map<string, AgentWeek[]>();
      for (const agent of listed) {
        const team = agent.teamName ?? 'No team';
        byTeam.set(team, [...(byTeam.get(team) ?? []), agent]);
      }
      for (const [team, agents] of byTeam) pieces.push(sections(`Per agent: ${name(team)}`, agents.map(agentLine)));
    }
    if (unlisted > 0) {
      pieces.push([
        context(
          `…and ${plural(unlisted, 'more agent')}, less active this week: \`npm run digest -- preview\` lists everyone.`,
        ),
      ]);
    }
  }
  // Everything fits the 50 blocks, or the rest is named in one line.
  const tail = options.withChart
    ? [context('Chart below: scores per agent over the last weeks, comments per category.')]
    : [];
  for (const piece of pieces) {
    if (blocks.length + piece.length + tail.length + 1 > MAX_BLOCKS) {
      blocks.push(context('More than fits one message: run `npm run digest -- preview` for the whole week.'));
      break;
    }
    blocks.push({ type: 'divider' }, ...piece);
  }
  blocks.push(...tail.filter(() => blocks.length < MAX_BLOCKS));
  return { text, blocks: blocks.slice(0, MAX_BLOCKS) };
}

/** The agent's own week, by DM. */
export function summaryMessage(agent: AgentWeek, periodLabel: string): DigestMessage {
  const lines = [
    `*${plural(agent.comments, 'comment')}* and *${plural(agent.scorecards, 'scorecard')}* on your calls.`,
  ];
  if (agent.average !== null)
    lines.push(`Your average score: *${scoreWithChange(agent.average, agent.previousAverage)}*.`);
  if (agent.categories.length > 0) {
    lines.push(`Comments by category: ${agent.categories.map((c) => `${name(c.name)} ${c.comments}`).join(', ')}.`);
  }
  if (agent.told > 0) {
    lines.push(
      `You acknowledged ${agent.acknowledged} of ${agent.told}${agent.disputed > 0 ? ` and disputed ${agent.disputed}` : ''}.`,
    );
  }
  const text = `Your QM week, ${periodLabel}: ${plural(agent.comments, 'comment')}, ${plural(agent.scorecards, 'scorecard')}`;
  return {
    text,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: 'Your QM week', emoji: true } },
      context(escapeMrkdwn(periodLabel)),
      section(truncate(lines.join('\n'), SECTION_MAX)),
      context('Open the app’s Home tab to see each comment and scorecard. You can mute these messages there.'),
    ],
  };
}

/** The message as plain lines, for the admin command's preview. */
export function messageAsText(message: DigestMessage): string {
  const lines: string[] = [];
  for (const block of message.blocks) {
    if (block.type === 'divider') lines.push('---');
    const text = (block.text as { text?: string } | undefined)?.text;
    if (text) lines.push(text);
    for (const field of (block.fields as Array<{ text: string }> | undefined) ?? [])
      lines.push(field.text.replace('\n', ': '));
    for (const element of (block.elements as Array<{ text?: string }> | undefined) ?? []) {
      if (element.text) lines.push(element.text);
    }
  }
  return lines
    .join('\n')
    .replace(/<!date\^\d+\^[^|]*\|([^>]*)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
