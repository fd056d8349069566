import { Worker } from 'node:worker_threads';
import type { TopLevelSpec } from 'vega-lite';
import type { RenderedChart } from './render-chart.js';

/**
 * Renders charts on one worker thread, started at the first chart and kept (the WebAssembly rasteriser and
 * the fonts load once); it does not keep the process alive. One chart at a time, in order.
 */
export class ChartThread {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve(chart: RenderedChart): void; reject(error: Error): void }>();

  render(spec: TopLevelSpec): Promise<RenderedChart> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, spec });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    // The worker file beside this one: chart-worker.js compiled in dist/; from source (tsx) the .ts itself,
    // with tsx's loader, which a thread does not get from its parent.
    const fromSource = import.meta.url.endsWith('.ts');
    const entry = new URL(fromSource ? './chart-worker.ts' : './chart-worker.js', import.meta.url);
    const worker = fromSource
      ? new Worker(
          `import('tsx/esm/api').then((tsx) => tsx.register()).then(() => import(${JSON.stringify(entry.href)}))`,
          {
            eval: true,
          },
        )
      : new Worker(entry);
    worker.unref();
    worker.on('message', (message: { id: number; chart?: RenderedChart; error?: string }) => {
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (!waiting) return;
      if (message.chart) {
        const { png, width, height } = message.chart;
        waiting.resolve({ png: Buffer.from(png.buffer, png.byteOffset, png.byteLength), width, height });
      } else waiting.reject(new Error(`Rendering the chart failed: ${message.error ?? 'unknown error'}`));
    });
    const failAll = (error: Error) => {
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
      if (this.worker === worker) this.worker = undefined;
    };
    worker.on('error', failAll);
    worker.on('exit', (code) => failAll(new Error(`The chart thread stopped (exit code ${code}).`)));
    this.worker = worker;
    return worker;
  }
}
