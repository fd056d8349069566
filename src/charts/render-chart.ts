import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { CHART_FONT } from './chart-font.js';

/**
 * Vega-Lite spec → Vega → SVG (Vega's own SVG renderer: no canvas, no native module) → PNG with resvg's
 * WebAssembly build. resvg-wasm reads no system fonts, so DejaVu Sans (the dejavu-fonts-ttf package) is
 * given to it, and the specs name it, so text is measured and drawn with one font on every machine.
 */

const require = createRequire(import.meta.url);

let ready: Promise<Uint8Array[]> | undefined;

/** Loads the WebAssembly module and the fonts once per process; later calls share the first. */
function prepare(): Promise<Uint8Array[]> {
  ready ??= (async () => {
    const [wasm, regular, bold] = await Promise.all([
      readFile(require.resolve('@resvg/resvg-wasm/index_bg.wasm')),
      readFile(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
      readFile(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')),
    ]);
    await initWasm(wasm);
    return [new Uint8Array(regular), new Uint8Array(bold)];
  })();
  ready.catch(() => {
    ready = undefined;
  });
  return ready;
}

export interface RenderedChart {
  png: Buffer;
  width: number;
  height: number;
}

/** Renders a Vega-Lite spec to a PNG at `scale` times its size (2: sharp on high-density screens). */
export async function renderChart(spec: TopLevelSpec, scale = 2): Promise<RenderedChart> {
  const fonts = await prepare();
  const vega = compile(spec).spec;
  const view = new View(parse(vega), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    const resvg = new Resvg(svg, {
      fitTo: { mode: 'zoom', value: scale },
      background: 'white',
      font: { fontBuffers: fonts, defaultFontFamily: CHART_FONT, sansSerifFamily: CHART_FONT },
    });
    try {
      const image = resvg.render();
      try {
        return { png: Buffer.from(image.asPng()), width: image.width, height: image.height };
      } finally {
        image.free();
      }
    } finally {
      resvg.free();
    }
  } finally {
    view.finalize();
  }
}
