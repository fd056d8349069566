import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PNG } from 'pngjs';
import { renderDigestChart } from '../../src/charts/digest-chart.js';
import { periodEndingAt } from '../../src/domain/digests/period.js';
import { buildWeekDigest, type PersonInfo, type WeekFacts } from '../../src/domain/digests/week-digest.js';

const end = new Date('2026-12-07T09:00:00Z');
const DAY = 24 * 3_600_000;

function week(agentCount: number): WeekFacts {
  const agents = new Map<string, PersonInfo>();
  const scorecards: WeekFacts['scorecards'] = [];
  const comments: WeekFacts['comments'] = [];
  for (let i = 0; i < agentCount; i += 1) {
    agents.set(`a${i}`, { name: `Agent ${i} <script>&`, slackUserId: null, teamName: null });
    for (let w = 0; w < 6; w += 1) {
      scorecards.push({
        agentId: `a${i}`,
        reviewerKey: 'r',
        score: 40 + ((i * 13 + w * 9) % 60),
        at: new Date(end.getTime() - DAY - w * 7 * DAY),
      });
    }
    comments.push({
      agentId: `a${i}`,
      categoryName: `Category ${i % 15}`,
      reviewerKey: 'r',
      at: new Date(end.getTime() - DAY),
    });
  }
  return {
    period: periodEndingAt(end, 'UTC'),
    comments,
    scorecards,
    feedback: [],
    openDisputes: [],
    agents,
    reviewers: new Map(),
  };
}

describe('the digest chart', () => {
  it('renders scores per agent over six weeks and comments per category to a PNG, quickly once warm', async (t) => {
    const digest = buildWeekDigest(week(12));
    const timings: number[] = [];
    let png: Buffer | undefined;
    for (let i = 0; i < 3; i += 1) {
      const started = performance.now();
      const chart = await renderDigestChart(digest, 'UTC');
      timings.push(Math.round(performance.now() - started));
      png = chart?.png;
    }
    t.diagnostic(`ms per chart: first ${timings[0]}, then ${timings.slice(1).join(', ')}`);
    assert.ok(png, 'png');
    const image = PNG.sync.read(png);
    assert.ok(image.width > 800 && image.height > 600, `${image.width}×${image.height}`);
    // Far above what it takes on a quiet machine (see the report): a regression to seconds per chart fails.
    assert.ok(Math.min(...timings.slice(1)) < 5_000, timings.join(', '));
  });

  it('draws nothing for a week with nothing to draw', async () => {
    assert.equal(await renderDigestChart(buildWeekDigest(week(0)), 'UTC'), undefined);
  });
});
