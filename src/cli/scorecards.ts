// `npm run scorecards -- show|retry ID`: how far a scorecard's answers got, and a way to send its failed ones again.
import { ScorecardRepository } from '../db/repositories/scorecard-repository.js';
import { deliveryState } from '../domain/scorecards/scorecard.js';
import { ScorecardRetry } from '../domain/scorecards/scorecard-retry.js';
import { cliCommand, openCliDatabase, printable, runAsProcess, table, UsageError } from './cli-support.js';

const USAGE = `Usage:
  npm run scorecards -- show ID     the scorecard and each answer: in Flex (its FM… SID), pending, or failed and why
  npm run scorecards -- retry ID    put its failed answers back in the queue; the running app sends them

  ID is the scorecard's id, as the app's log lines (answer_delivery_attempt, scorecardId) give it.`;

const SCORECARD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `scorecards show|retry ID`: in its own process (below) or a test's. */
export const run = cliCommand('scorecards', USAGE, async (args, cli) => {
  const [command, id, ...extra] = args;
  if (!command || command === '--help' || command === 'help') {
    cli.out(USAGE);
    return command ? 0 : 2;
  }
  if (!['show', 'retry'].includes(command)) throw new UsageError(`Unknown command "${command}".`);
  if (!id || !SCORECARD_ID.test(id) || extra.length > 0) throw new UsageError(`${command} needs one scorecard id.`);
  const { prisma } = await openCliDatabase(cli);
  const scorecards = new ScorecardRepository(prisma);
  try {
    if (command === 'show') {
      const scorecard = await scorecards.find(id);
      if (!scorecard) {
        cli.err(`No scorecard has the id ${id}.`);
        return 1;
      }
      cli.out(
        `${printable(scorecard.questionnaireName)} (${scorecard.questionnaireSid}) of segment ${scorecard.segmentId}, revision ${scorecard.revision}: ${deliveryState(scorecard.answers)}`,
      );
      cli.out(
        table(
          ['#', 'QUESTION', 'STATUS', 'ATTEMPTS', 'FLEX', 'ERROR'],
          scorecard.answers.map((a) => [
            String(a.position + 1),
            a.questionSid,
            a.status,
            String(a.attempts),
            a.flexAssessmentSid ?? '-',
            printable(a.lastError ?? '-'),
          ]),
        ),
      );
      return 0;
    }
    const result = await new ScorecardRetry({
      store: scorecards,
      reviewers: { findBySlackUser: async () => null },
    }).retryAsAdmin(id);
    if (result.kind === 'queued') {
      cli.out(`${result.count} failed answers of ${id} are queued again; the running app sends them within seconds.`);
      return 0;
    }
    cli.err(
      result.kind === 'not_found' ? `No scorecard has the id ${id}.` : `${id} has no failed answers: nothing to retry.`,
    );
    return 1;
  } finally {
    await prisma.$disconnect();
  }
});

await runAsProcess(import.meta.url, run);
