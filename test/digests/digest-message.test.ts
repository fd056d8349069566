import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { periodEndingAt } from '../../src/domain/digests/period.js';
import { buildWeekDigest, type PersonInfo, type WeekFacts } from '../../src/domain/digests/week-digest.js';
import { digestMessage, summaryMessage } from '../../src/slack/digests/digest-blocks.js';
import { messageBlockProblems } from '../fakes/slack/block-kit-rules.js';

const end = new Date('2026-12-07T09:00:00Z');
const period = periodEndingAt(end, 'UTC');
const DAY = 24 * 3_600_000;

/** A big contact centre's week: many agents in many teams, with names that try Slack's markup. */
function bigWeek(agentCount: number): WeekFacts {
  const agents = new Map<string, PersonInfo>();
  const comments: WeekFacts['comments'] = [];
  const scorecards: WeekFacts['scorecards'] = [];
  for (let i = 0; i < agentCount; i += 1) {
    const name = `Agent ${i} <!here> & *${'x'.repeat(i % 3 === 0 ? 120 : 5)}*`;
    agents.set(`a${i}`, { name, slackUserId: `U${i}`, teamName: `Team ${i % 12} <@U0>` });
    for (let c = 0; c < 3; c += 1) {
      comments.push({
        agentId: `a${i}`,
        categoryName: `Category ${c + (i % 30)} <#C1>`,
        reviewerKey: `r${i % 9}`,
        at: new Date(end.getTime() - DAY),
      });
    }
    for (let w = 0; w < 7; w += 1) {
      scorecards.push({
        agentId: `a${i}`,
        reviewerKey: 'r1',
        score: (i * 7 + w * 3) % 100,
        at: new Date(end.getTime() - DAY - w * 7 * DAY),
      });
    }
  }
  const reviewers = new Map<string, PersonInfo>();
  for (let r = 0; r < 9; r += 1)
    reviewers.set(`r${r}`, { name: `Reviewer ${r} <!channel>`, slackUserId: `UR${r}`, teamName: null });
  const feedback = [...agents.keys()].map((agentId, i) => ({
    agentId,
    reviewerSlackUserId: 'UR1',
    state: i % 5 === 0 ? 'disputed' : 'acknowledged',
    createdAt: new Date(end.getTime() - 2 * DAY),
    acknowledgedAt: i % 5 === 0 ? null : new Date(end.getTime() - DAY),
    disputedAt: i % 5 === 0 ? new Date(end.getTime() - DAY) : null,
  }));
  return {
    period,
    comments,
    scorecards,
    feedback,
    openDisputes: feedback.filter((f) => f.state === 'disputed'),
    agents,
    reviewers,
  };
}

describe('the digest message', () => {
  it('stays within Block Kit’s limits however big the week, and escapes every name', () => {
    for (const count of [1, 30, 400]) {
      const digest = buildWeekDigest(bigWeek(count));
      const message = digestMessage(digest, {
        periodLabel: 'Nov 30 – Dec 6, 2026',
        teamsWithOwnChannel: new Set(),
        withChart: true,
      });
      assert.deepEqual(messageBlockProblems(message.blocks), [], `${count} agents`);
      assert.ok(message.blocks.length <= 50, 'message.blocks.length <= 50');
      const text = JSON.stringify(message.blocks);
      assert.doesNotMatch(text, /<!here>|<!channel>|<@U0>|<#C1>/);
      assert.match(text, /&lt;!here&gt; &amp;/);
      if (count === 400) assert.match(text, /and 360 more agents, less active this week/);
      assert.ok(text.length < 40_000, `${text.length} characters`);
    }
  });

  it('tells an agent their own week in a few lines', () => {
    const digest = buildWeekDigest(bigWeek(3));
    const agent = digest.agents.find((a) => a.agentId === 'a1');
    assert.ok(agent, 'agent');
    const message = summaryMessage(agent, 'Nov 30 – Dec 6, 2026');
    assert.deepEqual(messageBlockProblems(message.blocks), []);
    assert.match(JSON.stringify(message.blocks), /3 comments\* and \*1 scorecard\*/);
  });
});
