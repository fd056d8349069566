// `npm run categories -- add|list|sync|set-channel|deactivate|remove`: the QM comment categories the Slack modal offers.
import { parseArgs } from 'node:util';
import { loadFlexSettings } from '../config/config.js';
import { CategoryRepository } from '../db/repositories/category-repository.js';
import { createFlexClient } from '../flex/flex-client.js';
import { cliCommand, openCliDatabase, runAsProcess, table, UsageError, workspaceOption } from './cli-support.js';

const USAGE = `Usage:
  npm run categories -- sync                       read Flex's comment categories (Settings/CommentTags)
  npm run categories -- add --id ID --name NAME    add or rename one by hand
  npm run categories -- set-channel --id ID --channel C0123ABCD   announce this category's comments there
  npm run categories -- set-channel --id ID --channel none        back to NOTIFY_CHANNEL
  npm run categories -- deactivate --id ID           stop offering it; it stays listed, add brings it back
  npm run categories -- remove --id ID               delete it (assessments keep the name they were given)
  npm run categories -- list

  Each takes --workspace T0123ABCD (or the E… id of an org-wide install) when workspaces install the
  app by OAuth: each workspace has its own categories. Without it: the workspace of SLACK_BOT_TOKEN.`;

const WORKSPACE = { workspace: { type: 'string' } } as const;

function workspaceOf(value: string | undefined): string | null {
  return workspaceOption(value) ?? null;
}

/** `categories add|list|sync|set-channel|deactivate|remove …`: in its own process (below) or a test's. */
export const run = cliCommand('categories', USAGE, async (args, cli) => {
  const [command, ...rest] = args;
  if (!command || command === '--help' || command === 'help') {
    cli.out(USAGE);
    return command ? 0 : 2;
  }
  if (!['add', 'list', 'sync', 'set-channel', 'deactivate', 'remove'].includes(command))
    throw new UsageError(`Unknown command "${command}".`);
  const flexSettings = command === 'sync' ? loadFlexSettings(cli.env) : undefined;
  const { prisma } = await openCliDatabase(cli);
  const categories = new CategoryRepository(prisma);
  try {
    if (command === 'add') {
      const { values } = parseArgs({
        args: rest,
        options: { id: { type: 'string' }, name: { type: 'string' }, ...WORKSPACE },
      });
      if (!values.id?.trim() || !values.name?.trim()) throw new UsageError('add needs --id ID and --name NAME.');
      const { category, outcome } = await categories.add(
        { id: values.id.trim(), name: values.name.trim() },
        workspaceOf(values.workspace),
      );
      cli.out(`${outcome} ${category.id} ${category.name}`);
      return 0;
    }
    if (command === 'deactivate' || command === 'remove') {
      const { values } = parseArgs({ args: rest, options: { id: { type: 'string' }, ...WORKSPACE } });
      const id = values.id?.trim();
      if (!id) throw new UsageError(`${command} needs --id ID (see npm run categories -- list).`);
      const workspace = workspaceOf(values.workspace);
      const category =
        command === 'remove' ? await categories.remove(id, workspace) : await categories.deactivate(id, workspace);
      if (!category) {
        cli.err(`No category has the id ${id}${workspace ? ` in ${workspace}` : ''}. See npm run categories -- list.`);
        return 1;
      }
      const comesBack =
        category.source === 'flex'
          ? ' It comes from Flex: the next `categories -- sync` brings it back while Flex lists it (remove it in Flex too).'
          : '';
      cli.out(
        `${command === 'remove' ? 'removed' : 'deactivated'} ${category.id} ${category.name}: the modal stops offering it within 30 s.${comesBack}`,
      );
      return 0;
    }
    if (command === 'set-channel') {
      const { values } = parseArgs({
        args: rest,
        options: { id: { type: 'string' }, channel: { type: 'string' }, ...WORKSPACE },
      });
      const channel = values.channel?.trim();
      if (!values.id?.trim() || !channel)
        throw new UsageError('set-channel needs --id ID and --channel CHANNEL_ID (or none).');
      if (channel !== 'none' && !/^[CG][A-Z0-9]+$/.test(channel)) {
        throw new UsageError('--channel must be a channel id such as C0123ABCD (channel details → About), or none.');
      }
      if (
        !(await categories.setNotifyChannel(
          values.id.trim(),
          channel === 'none' ? null : channel,
          workspaceOf(values.workspace),
        ))
      ) {
        cli.err(`No category has the id ${values.id.trim()}. See npm run categories -- list.`);
        return 1;
      }
      cli.out(
        channel === 'none'
          ? `${values.id.trim()} is announced in NOTIFY_CHANNEL again`
          : `${values.id.trim()} is announced in ${channel}; invite the app there with /invite @Flex QM`,
      );
      return 0;
    }
    if (command === 'list') {
      const { values } = parseArgs({ args: rest, options: WORKSPACE });
      const rows = await categories.list(values.workspace ? workspaceOf(values.workspace) : undefined);
      if (rows.length === 0) {
        cli.out('No categories yet. Run `npm run categories -- sync` to read them from Flex.');
        return 0;
      }
      cli.out(
        table(
          ['WORKSPACE', 'ID', 'NAME', 'SOURCE', 'DEFAULT', 'ACTIVE', 'CHANNEL'],
          rows.map((c) => [
            c.workspaceId ?? '-',
            c.id,
            c.name,
            c.source,
            c.isDefault ? 'yes' : '-',
            c.active ? 'yes' : 'no',
            c.notifyChannelId ?? '-',
          ]),
        ),
      );
      return 0;
    }
    if (!flexSettings) throw new UsageError('sync needs the Twilio settings.');
    const flex = createFlexClient({
      baseUrl: flexSettings.baseUrl,
      credentials: { username: flexSettings.username, password: flexSettings.password },
      timeoutMs: flexSettings.timeoutMs,
    });
    try {
      const { values } = parseArgs({ args: rest, options: WORKSPACE });
      const report = await categories.syncFromFlex(await flex.listCommentCategories(), workspaceOf(values.workspace));
      cli.out(
        `added ${report.added}, updated ${report.updated}, deactivated ${report.deactivated}, unchanged ${report.unchanged}`,
      );
      return 0;
    } finally {
      await flex.close();
    }
  } finally {
    await prisma.$disconnect();
  }
});

await runAsProcess(import.meta.url, run);
