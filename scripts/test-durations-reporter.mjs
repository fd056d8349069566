// A node:test reporter: how long each test file took, slowest first, printed when the run ends.
// A file's time runs from the runner taking it off its queue to its process being done (load, hooks and
// tests), measured when the runner reports those events. With --test-concurrency > 1 the files share the
// cores, so the times add up to more than the run's wall clock. The times are also kept in
// TEST_DURATIONS_FILE when set (scripts/test.ts sets it), so the next run can start the slowest files first.
// With TEST_CPU_DIR (scripts/test.ts sets it and preloads scripts/test-cpu.mjs) each line also gives the CPU
// time the file used, its own and its child processes' (the CLIs and app processes it started): unlike wall
// time, that does not grow when other work shares the machine.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

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
  const cpu = cpuByFile(process.env.TEST_CPU_DIR);
  const seconds = (ms) => (ms / 1000).toFixed(1).padStart(7);
  const cwd = `${process.cwd()}/`;
  const lines = took.slice(0, TOP).map(([file, ms]) => {
    const mark = failed.has(file) ? '  (failed)' : '';
    const used = cpu.get(resolve(file));
    const cpuText = cpu.size === 0 ? '' : used ? `${seconds(used)} s CPU ` : '      ? s CPU ';
    return `${seconds(ms)} s  ${cpuText} ${file.replace(cwd, '')}${mark}`;
  });
  const wall = ((Date.now() - runStart) / 1000).toFixed(0);
  const totalCpu = [...cpu.values()].reduce((sum, ms) => sum + ms, 0);
  const cpuTotal = cpu.size === 0 ? '' : `, ${(totalCpu / 1000).toFixed(0)} s of CPU in the files`;
  yield `\nSlowest test files (of ${took.length}; ${wall} s in all${cpuTotal}):\n${lines.join('\n')}\n`;
}

/** CPU milliseconds per test file (absolute path), from what scripts/test-cpu.mjs wrote. */
function cpuByFile(dir) {
  const cpu = new Map();
  if (!dir) return cpu;
  try {
    for (const name of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
      const { file, ownMs, childrenMs } = JSON.parse(readFileSync(join(dir, name), 'utf8'));
      cpu.set(resolve(file), (cpu.get(resolve(file)) ?? 0) + ownMs + childrenMs);
    }
  } catch {
    // only a report
  }
  return cpu;
}
