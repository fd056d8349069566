// `npm run assessments -- list|show|retry`: what became of the comments, and a way to send a failed one again.
import { parseArgs } from 'node:util';
import { AssessmentRepository } from '../db/repositories/assessment-repository.js';
import type { Assessment, AssessmentStatus } from '../domain/assessments/assessment.js';
import { normalizeAssessmentReference, parseSince, tableWrappingLast } from './cli-format.js';
import { type Cli, cliCommand, openCliDatabase, runAsProcess, table, UsageError } from './cli-support.js';

const STATUSES: readonly AssessmentStatus[] = ['pending', 'posted', 'failed'];
const USAGE = `Usage:
  npm run assessments -- list [--status pending|posted|failed] [--since 2h|7d|2026-12-06] [--limit 50] [--wide]
  npm run assessments -- show REF
  npm run assessments -- retry REF    put a failed assessment back in the queue; the running app sends it

  REF is the assessment's id, its Flex assessment SID (FM…, as reviewers are shown), or the first
  characters of either (at least 4). list wraps each error to the terminal's width; --wide prints it
  on one line.`;

/** Most candidates listed for a reference that matches several. */
const CANDIDATES = 10;

/** `assessments list|show|retry …`: in its own process (below) or a test's. */
export const run = cliCommand('assessments', USAGE, async (args, cli) => {
  const [command, ...rest] = args;
  if (!command || command === '--help' || command === 'help') {
    cli.out(USAGE);
    return command ? 0 : 2;
  }
  if (!['list', 'show', 'retry'].includes(command)) throw new UsageError(`Unknown command "${command}".`);
  const reference = command === 'list' ? undefined : referenceOf(command, rest);
  const { prisma } = await openCliDatabase(cli);
  const assessments = new AssessmentRepository(prisma);
  try {
    if (command === 'list') return await list(cli, assessments, rest);
    if (!reference) throw new UsageError(`${command} needs the assessment's id or FM SID.`);
    const matches = await assessments.matching(reference, CANDIDATES + 1);
    const [match] = matches;
    if (!match) {
      cli.err(
        `No assessment has an id or Flex SID that is or starts with ${reference}. See npm run assessments -- list.`,
      );
      return 1;
    }
    if (matches.length > 1) {
      cli.err(
        `${reference} is the start of ${matches.length > CANDIDATES ? `more than ${CANDIDATES}` : matches.length} assessments; give more of the id or the FM SID:\n${table(
          ['ID', 'FLEX SID', 'STATUS', 'CREATED'],
          matches
            .slice(0, CANDIDATES)
            .map((a) => [a.id, a.flexAssessmentSid ?? '-', a.status, a.createdAt.toISOString()]),
        )}`,
      );
      return 1;
    }
    if (command === 'show') {
      const row = await assessments.raw(match.id);
      for (const [key, value] of Object.entries(row ?? {})) {
        const text =
          value instanceof Date
            ? value.toISOString()
            : typeof value === 'object' && value !== null
              ? JSON.stringify(value)
              : String(value);
        cli.out(`${key}: ${text}`);
      }
      return 0;
    }
    if (await assessments.requeue(match.id, new Date())) {
      cli.out(`${match.id} is queued again; the running app sends it within seconds (or at its next start).`);
      return 0;
    }
    cli.err(`${match.id} is ${match.status}, not failed: nothing to retry.`);
    return 1;
  } finally {
    await prisma.$disconnect();
  }
});

await runAsProcess(import.meta.url, run);

function referenceOf(command: string, args: string[]): string {
  const [value, ...extra] = args;
  if (!value) throw new UsageError(`${command} needs the assessment's id or FM SID (see npm run assessments -- list).`);
  if (extra.length > 0) throw new UsageError(`${command} takes one assessment; got ${args.length}.`);
  return normalizeAssessmentReference(value);
}

async function list(cli: Cli, assessments: AssessmentRepository, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      status: { type: 'string' },
      limit: { type: 'string' },
      since: { type: 'string' },
      wide: { type: 'boolean', default: false },
    },
  });
  if (values.status !== undefined && !STATUSES.includes(values.status as AssessmentStatus)) {
    throw new UsageError(`--status must be one of ${STATUSES.join(', ')}.`);
  }
  const limit = values.limit === undefined ? 50 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
    throw new UsageError('--limit must be a whole number from 1 to 10000.');
  const since = values.since === undefined ? undefined : parseSince(values.since, new Date());
  const rows = await assessments.listByStatus(values.status as AssessmentStatus | undefined, limit, since);
  if (rows.length === 0) {
    cli.out(since ? `No assessments since ${since.toISOString()}.` : 'No assessments.');
    return 0;
  }
  const headers = ['ID', 'STATUS', 'ATTEMPTS', 'CREATED', 'REVIEWER', 'CATEGORY', 'SEGMENT', 'FLEX SID', 'LAST ERROR'];
  const cells = rows.map((a: Assessment) => [
    a.id,
    a.status,
    String(a.attempts),
    a.createdAt.toISOString(),
    a.origin.userId,
    a.categoryName,
    a.segmentId,
    a.flexAssessmentSid ?? '-',
    a.lastError ?? '-',
  ]);
  // A terminal says how wide it is; piped into a file or grep, lines are kept to 160 characters.
  cli.out(values.wide ? table(headers, cells) : tableWrappingLast(headers, cells, cli.columns ?? 160));
  return 0;
}
