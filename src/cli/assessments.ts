// `npm run assessments -- list|show|retry`: what became of the comments, and a way to send a failed one again.
import { parseArgs } from 'node:util';
import { AssessmentRepository } from '../db/repositories/assessment-repository.js';
import type { AssessmentStatus } from '../domain/assessments/assessment.js';
import { openCliDatabase, runCli, table, UsageError } from './cli-support.js';

const STATUSES: readonly AssessmentStatus[] = ['pending', 'posted', 'failed'];
const USAGE = `Usage:
  npm run assessments -- list [--status pending|posted|failed] [--limit 50]
  npm run assessments -- show ID
  npm run assessments -- retry ID     put a failed assessment back in the queue; the running app sends it`;

await runCli(USAGE, async () => {
  const [command, ...rest] = process.argv.slice(2);
  if (!command || command === '--help' || command === 'help') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  if (!['list', 'show', 'retry'].includes(command)) throw new UsageError(`Unknown command "${command}".`);
  const { prisma } = await openCliDatabase();
  const assessments = new AssessmentRepository(prisma);
  try {
    if (command === 'list') {
      const { values } = parseArgs({ args: rest, options: { status: { type: 'string' }, limit: { type: 'string' } } });
      if (values.status !== undefined && !STATUSES.includes(values.status as AssessmentStatus)) {
        throw new UsageError(`--status must be one of ${STATUSES.join(', ')}.`);
      }
      const limit = values.limit === undefined ? 50 : Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
        throw new UsageError('--limit must be a whole number from 1 to 10000.');
      const rows = await assessments.listByStatus(values.status as AssessmentStatus | undefined, limit);
      if (rows.length === 0) {
        console.log('No assessments.');
        return 0;
      }
      console.log(
        table(
          ['ID', 'STATUS', 'ATTEMPTS', 'CREATED', 'REVIEWER', 'CATEGORY', 'SEGMENT', 'FLEX SID', 'LAST ERROR'],
          rows.map((a) => [
            a.id,
            a.status,
            String(a.attempts),
            a.createdAt.toISOString(),
            a.origin.userId,
            a.categoryName,
            a.segmentId,
            a.flexAssessmentSid ?? '-',
            (a.lastError ?? '-').slice(0, 60),
          ]),
        ),
      );
      return 0;
    }
    const [id] = rest;
    if (!id) throw new UsageError(`${command} needs the assessment's ID (see npm run assessments -- list).`);
    if (command === 'show') {
      const row = await assessments.raw(id);
      if (!row) {
        console.error(`No assessment has the id ${id}.`);
        return 1;
      }
      for (const [key, value] of Object.entries(row)) {
        const text =
          value instanceof Date
            ? value.toISOString()
            : typeof value === 'object' && value !== null
              ? JSON.stringify(value)
              : String(value);
        console.log(`${key}: ${text}`);
      }
      return 0;
    }
    if (await assessments.requeue(id, new Date())) {
      console.log(`${id} is queued again; the running app sends it within seconds (or at its next start).`);
      return 0;
    }
    const row = await assessments.find(id);
    console.error(row ? `${id} is ${row.status}, not failed: nothing to retry.` : `No assessment has the id ${id}.`);
    return 1;
  } finally {
    await prisma.$disconnect();
  }
});
