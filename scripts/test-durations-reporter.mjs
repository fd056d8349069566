// A node:test reporter: how long each test file took, slowest first, printed when the run ends.
// A file's time runs from the runner taking it off its queue to its process being done (load, hooks and
// tests), measured when the runner reports those events. With --test-concurrency > 1 the files share the
// cores, so the times add up to more than the run's wall clock. The times are also kept in
// TEST_DURATIONS_FILE when set (scripts/test.ts sets it), so the next run can start the slowest files first.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';

const TOP = Number(process.env.TEST_DURATIONS_TOP ?? 15);

export default async function* durations(source) {
  const started = new Map();
  const took = [];
  const failed = new Set();
  const runStart = Date.now();
  for await (const event of source) {
    const { type, data } = event;
    // A file's own events carry its path as their name, at nesting 0.
    if (data?.nesting !== 0 || data.file === undefined || data.name !== data.file) {
      if (type === 'test:fail' && data?.file !== undefined) failed.add(data.file);
      continue;
    }
    if (type === 'test:dequeue') started.set(data.file, Date.now());
    if (type === 'test:complete' && started.has(data.file)) took.push([data.file, Date.now() - started.get(data.file)]);
  }
  took.sort((a, b) => b[1] - a[1]);
  const keep = process.env.TEST_DURATIONS_FILE;
  if (keep) {
    try {
      let known = {};
      try {
        known = JSON.parse(readFileSync(keep, 'utf8'));
      } catch {
        // first run
      }
      for (const [file, ms] of took) known[relative(process.cwd(), file)] = ms;
      mkdirSync(dirname(keep), { recursive: true });
      writeFileSync(keep, `${JSON.stringify(known, null, 2)}\n`);
    } catch {
      // only an ordering hint
    }
  }
  const cwd = `${process.cwd()}/`;
  const lines = took.slice(0, TOP).map(([file, ms]) => {
    const mark = failed.has(file) ? '  (failed)' : '';
    return `${(ms / 1000).toFixed(1).padStart(7)} s  ${file.replace(cwd, '')}${mark}`;
  });
  yield `\nSlowest test files (of ${took.length}; ${((Date.now() - runStart) / 1000).toFixed(0)} s in all):\n${lines.join('\n')}\n`;
}
