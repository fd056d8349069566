import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { nodeArgsToRun } from '../helpers/app-build.js';

/**
 * Vega, Vega-Lite and the rasteriser draw the weekly digest's chart on a thread of their own. Loaded by the
 * app's own thread at start they cost about 0.3 s and 20 MB of every instance, for a chart drawn once a week
 * (found in the benchmark: start-up 1.1 s and 121 MB, against 0.7 s and 100 MB before the digests). A
 * module hook refuses them, so importing the app fails if anything it loads at start imports them.
 */
const CHART_PACKAGES = /^(vega|vega-lite|@resvg\/resvg-wasm)(\/|$)/;
const REFUSE = `export async function resolve(specifier, context, next) {
  if (${CHART_PACKAGES}.test(specifier)) throw new Error('loaded at start: ' + specifier);
  return next(specifier, context);
}`;
const REGISTER = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(REFUSE)}`)});`;

function load(sourceFile: string) {
  return spawnSync(
    process.execPath,
    ['--import', `data:text/javascript,${encodeURIComponent(REGISTER)}`, ...nodeArgsToRun(sourceFile)],
    {
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
}

describe('what the app loads at start', () => {
  it('does not load the charting libraries: the chart thread loads them when a digest has a chart', () => {
    const app = load('src/app.ts');
    assert.equal(app.status, 0, app.stderr);
  });

  it('(the hook works: the renderer itself loads them)', () => {
    const renderer = load('src/charts/render-chart.ts');
    assert.notEqual(renderer.status, 0);
    assert.match(renderer.stderr, /loaded at start: (vega|@resvg\/resvg-wasm)/);
  });
});
