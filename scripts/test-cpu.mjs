// Preloaded (node --import) by scripts/test.ts into every test file's process: when the process exits it
// writes the CPU time it used (user + system), and that of the child processes it waited for (the CLIs,
// app processes and servers a test starts), to TEST_CPU_DIR, where scripts/test-durations-reporter.mjs
// reads it. Wall time is noisy on a shared machine; CPU time says what a file costs.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.TEST_CPU_DIR;
const file = process.argv[1];
// Only in a test file's process (node --test sets NODE_TEST_CONTEXT there), not in the runner itself.
if (dir && file && process.env.NODE_TEST_CONTEXT) {
  process.once('exit', () => {
    const own = process.resourceUsage();
    let childrenMs = 0;
    try {
      // Linux: /proc/self/stat fields 16 and 17 (cutime, cstime), in clock ticks (100 a second).
      const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
      childrenMs = (Number(fields[13]) + Number(fields[14])) * 10 || 0;
    } catch {
      // not Linux: the file's own CPU only
    }
    const ownMs = (own.userCPUTime + own.systemCPUTime) / 1000;
    try {
      writeFileSync(join(dir, `${process.pid}.json`), JSON.stringify({ file, ownMs, childrenMs }));
    } catch {
      // only a report
    }
  });
}
