// `npm run questionnaires -- sync|list|set-default`: the Flex Insights questionnaires `/qm score` offers.
import { parseArgs } from 'node:util';
import { loadFlexSettings } from '../config/config.js';
import { QuestionnaireRepository } from '../db/repositories/questionnaire-repository.js';
import { createFlexClient } from '../flex/flex-client.js';
import { cliCommand, openCliDatabase, runAsProcess, table, UsageError, workspaceOption } from './cli-support.js';

const USAGE = `Usage:
  npm run questionnaires -- sync                     read Flex's questionnaires, their questions and the answer sets
  npm run questionnaires -- list                     what reviewers can score with (and what is inactive)
  npm run questionnaires -- set-default --sid GM…    pre-select this questionnaire in the scoring form

  Each takes --workspace T0123ABCD (or the E… id of an org-wide install) when workspaces install the
  app by OAuth: each workspace has its own questionnaires. Without it: the workspace of SLACK_BOT_TOKEN.`;

const WORKSPACE = { workspace: { type: 'string' } } as const;

/** `questionnaires sync|list|set-default …`: in its own process (below) or a test's. */
export const run = cliCommand('questionnaires', USAGE, async (args, cli) => {
  const [command, ...rest] = args;
  if (!command || command === '--help' || command === 'help') {
    cli.out(USAGE);
    return command ? 0 : 2;
  }
  if (!['sync', 'list', 'set-default'].includes(command)) throw new UsageError(`Unknown command "${command}".`);
  const flexSettings = command === 'sync' ? loadFlexSettings(cli.env) : undefined;
  const { prisma } = await openCliDatabase(cli);
  const questionnaires = new QuestionnaireRepository(prisma);
  try {
    if (command === 'list') {
      const { values } = parseArgs({ args: rest, options: WORKSPACE });
      const workspace = workspaceOption(values.workspace);
      const rows = await questionnaires.list(values.workspace ? (workspace ?? null) : undefined);
      if (rows.length === 0) {
        cli.out('No questionnaires yet. Run `npm run questionnaires -- sync` to read them from Flex.');
        return 0;
      }
      cli.out(
        table(
          ['WORKSPACE', 'SID', 'NAME', 'QUESTIONS', 'DEFAULT', 'ACTIVE', 'SYNCED'],
          rows.map((q) => [
            q.workspaceId ?? '-',
            q.sid,
            q.name,
            String(q.questionCount),
            q.isDefault ? 'yes' : '-',
            q.active ? 'yes' : 'no',
            q.syncedAt.toISOString(),
          ]),
        ),
      );
      return 0;
    }
    if (command === 'set-default') {
      const { values } = parseArgs({ args: rest, options: { sid: { type: 'string' }, ...WORKSPACE } });
      const sid = values.sid?.trim();
      if (!sid || !/^GM[0-9a-fA-F]{32}$/.test(sid)) throw new UsageError('set-default needs --sid GM… (see list).');
      if (!(await questionnaires.setDefault(sid, workspaceOption(values.workspace) ?? null))) {
        cli.err(`No questionnaire has the SID ${sid} here. Run sync, then list.`);
        return 1;
      }
      cli.out(`${sid} is pre-selected in the scoring form`);
      return 0;
    }
    if (!flexSettings) throw new UsageError('sync needs the Twilio settings.');
    const { values } = parseArgs({ args: rest, options: WORKSPACE });
    const flex = createFlexClient({
      baseUrl: flexSettings.baseUrl,
      credentials: { username: flexSettings.username, password: flexSettings.password },
      timeoutMs: flexSettings.timeoutMs,
    });
    try {
      const [listed, answerSets] = await Promise.all([
        flex.listQuestionnaires({ includeInactive: true }),
        flex.fetchAnswerSets(),
      ]);
      const report = await questionnaires.syncFromFlex(listed, answerSets, workspaceOption(values.workspace) ?? null);
      cli.out(
        `added ${report.added}, updated ${report.updated}, deactivated ${report.deactivated}, unchanged ${report.unchanged}`,
      );
      for (const unusable of report.unusable) {
        cli.out(`not offered: ${unusable} uses an answer set Flex did not list (Settings/AnswerSets)`);
      }
      return 0;
    } finally {
      await flex.close();
    }
  } finally {
    await prisma.$disconnect();
  }
});

await runAsProcess(import.meta.url, run);
