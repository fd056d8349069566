import type { TopLevelSpec } from 'vega-lite';
import type { NonNormalizedSpec } from 'vega-lite/types_unstable/spec/index.js';
import type { WeekDigest } from '../domain/digests/week-digest.js';
import { CHART_FONT } from './chart-font.js';
import type { RenderedChart } from './render-chart.js';

/** At most this many agents' lines: more would be a tangle no one reads (the text lists everyone). */
const MAX_AGENTS = 8;
const MAX_CATEGORIES = 12;
const NAME_MAX = 28;

const short = (text: string) => ([...text].length > NAME_MAX ? `${[...text].slice(0, NAME_MAX - 1).join('')}…` : text);

/**
 * The digest's picture: scores per agent over the last weeks (a line each, the most active agents), and
 * comments per category (bars). Undefined when the week has neither. Names go into the SVG as text
 * (Vega escapes them), so no escaping is needed here.
 */
export function digestChartSpec(digest: WeekDigest, timeZone: string): TopLevelSpec | undefined {
  const agents = new Set(
    [...new Set(digest.weeklyScores.map((s) => s.agentName))]
      .sort(
        (a, b) =>
          digest.weeklyScores.filter((s) => s.agentName === b).length -
            digest.weeklyScores.filter((s) => s.agentName === a).length || a.localeCompare(b),
      )
      .slice(0, MAX_AGENTS),
  );
  const day = new Intl.DateTimeFormat('en-US', { timeZone, month: 'short', day: 'numeric' });
  const scores = digest.weeklyScores
    .filter((s) => agents.has(s.agentName))
    .map((s) => ({
      week: day.format(s.weekStart),
      order: s.weekStart.getTime(),
      agent: short(s.agentName),
      score: Math.round(s.average * 10) / 10,
    }));
  const categories = digest.categories
    .slice(0, MAX_CATEGORIES)
    .map((c) => ({ category: short(c.name), comments: c.comments }));
  const panels: NonNormalizedSpec[] = [];
  if (scores.length > 0) {
    panels.push({
      title: 'Average score per agent, by week',
      width: 480,
      height: 200,
      data: { values: scores },
      mark: { type: 'line', point: true, strokeWidth: 2 },
      encoding: {
        x: {
          field: 'week',
          type: 'ordinal',
          sort: { field: 'order' },
          title: 'Week starting',
          axis: { labelAngle: 0 },
        },
        y: { field: 'score', type: 'quantitative', title: 'Score (%)', scale: { domain: [0, 100] } },
        color: { field: 'agent', type: 'nominal', title: 'Agent' },
      },
    });
  }
  if (categories.length > 0) {
    panels.push({
      title: 'Comments per category, this week',
      width: 480,
      height: { step: 22 },
      data: { values: categories },
      mark: { type: 'bar', color: '#2f7ed8' },
      encoding: {
        y: { field: 'category', type: 'nominal', sort: '-x', title: null },
        x: { field: 'comments', type: 'quantitative', title: 'Comments', axis: { tickMinStep: 1 } },
      },
    });
  }
  if (panels.length === 0) return undefined;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: { font: CHART_FONT, view: { stroke: null }, title: { fontSize: 14 } },
    padding: 12,
    // One above the other: Slack shows images in a narrow column.
    vconcat: panels,
    spacing: 28,
    resolve: { scale: { color: 'independent' } },
  };
}

/**
 * The digest's chart as a PNG, or undefined when there is nothing to draw; `render` is where (in this thread,
 * or on a ChartThread, as the app does, so its event loop stays free for Slack). Vega and the rasteriser are
 * loaded only to render here: the app's own thread never loads them (about 0.3 s and 20 MB at start).
 */
export async function renderDigestChart(
  digest: WeekDigest,
  timeZone: string,
  render?: (spec: TopLevelSpec) => Promise<RenderedChart>,
): Promise<RenderedChart | undefined> {
  const spec = digestChartSpec(digest, timeZone);
  if (!spec) return undefined;
  return (render ?? (await import('./render-chart.js')).renderChart)(spec);
}
