// The chart renderer's thread: renders the specs it is sent, so a chart never holds up the app's event loop
// (Slack requests must be answered within 3 seconds).
import { parentPort } from 'node:worker_threads';
import type { TopLevelSpec } from 'vega-lite';
import { renderChart } from './render-chart.js';

parentPort?.on('message', async (message: { id: number; spec: TopLevelSpec }) => {
  try {
    const chart = await renderChart(message.spec);
    parentPort?.postMessage({ id: message.id, chart }, [chart.png.buffer as ArrayBuffer]);
  } catch (error) {
    parentPort?.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});
