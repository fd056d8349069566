// `npm run identities -- add|list|remove|import|sync`: who may comment from Slack, and as which Flex identity.
import { readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadIdentitySyncSettings } from '../config/config.js';
import { IdentityRepository, ROLES, type Role, SlackUserTakenError } from '../db/repositories/identity-repository.js';
import { InstallationRepository } from '../db/repositories/installation-repository.js';
import { CSV_MAX_BYTES, IdentityCsvError, parseIdentityCsv } from '../domain/identities/identity-csv.js';
import { formatSyncReport } from '../domain/identities/identity-sync.js';
import { checkEmail, checkName, hasControlCharacters } from '../domain/identities/person-fields.js';
import { createTaskRouterClient } from '../flex/taskrouter-client.js';
import { PinoBoltLogger } from '../logging/bolt-logger.js';
import { createSecretBox } from '../security/secret-box.js';
import { patientSlackClient } from '../slack/directory/slack-users.js';
import { botTokenOfNamedWorkspace } from '../slack/oauth/installed-workspace-tokens.js';
import { runIdentitySync } from '../wiring/identity-sync.js';
import {
  type Cli,
  cliCommand,
  openCliDatabase,
  printable,
  runAsProcess,
  table,
  UsageError,
  workspaceOption,
} from './cli-support.js';

const USAGE = `Usage:
  npm run identities -- add --email EMAIL --name NAME [--slack-user U… [--slack-team T…]] [--agent-id ID] [--role reviewer|admin|none] [--flex-authorization VALUE|-]
  npm run identities -- list
  npm run identities -- remove EMAIL_OR_SLACK_USER_ID
  npm run identities -- import FILE.csv     (header: email,name[,slack_user_id,agent_id,role])
  npm run identities -- sync [--dry-run]   read TaskRouter's workers and match them to Slack users by email

  Each takes --workspace T0123ABCD (or the E… id of an org-wide install) when workspaces install the
  app by OAuth: each workspace has its own identities, and sync asks Slack with that workspace's
  installation. Without it: the workspace of SLACK_BOT_TOKEN.

--flex-authorization - reads the value from standard input, so it stays out of shell history.`;

const WORKSPACE = { workspace: { type: 'string' } } as const;

/** `identities add|list|remove|import|sync …`: in its own process (below) or a test's. */
export const run = cliCommand('identities', USAGE, async (args, cli) => {
  const [command, ...rest] = args;
  if (!command || command === '--help' || command === 'help') {
    cli.out(USAGE);
    return command ? 0 : 2;
  }
  if (!['add', 'list', 'remove', 'import', 'sync'].includes(command))
    throw new UsageError(`Unknown command "${command}".`);
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      ...WORKSPACE,
      email: { type: 'string' },
      name: { type: 'string' },
      'slack-user': { type: 'string' },
      'slack-team': { type: 'string' },
      'agent-id': { type: 'string' },
      role: { type: 'string' },
      'flex-authorization': { type: 'string' },
      'dry-run': { type: 'boolean' },
    },
    allowPositionals: true,
    strict: true,
  });
  const allowed: Record<string, readonly string[]> = {
    add: ['email', 'name', 'slack-user', 'slack-team', 'agent-id', 'role', 'flex-authorization'],
    sync: ['dry-run'],
  };
  const misplaced = Object.keys(values).filter((name) => name !== 'workspace' && !allowed[command]?.includes(name));
  if (misplaced.length > 0) {
    throw new UsageError(`${command} does not take ${misplaced.map((name) => `--${name}`).join(', ')}.`);
  }
  const workspaceId = workspaceOption(values.workspace);
  const syncSettings =
    command === 'sync'
      ? loadIdentitySyncSettings(cli.env, { installedWorkspace: workspaceId !== undefined })
      : undefined;
  const { prisma, secretsKey } = await openCliDatabase(cli);
  const secretBox = secretsKey ? createSecretBox(secretsKey) : undefined;
  const identities = new IdentityRepository(prisma, secretBox);
  try {
    switch (command) {
      case 'add':
        return await add(cli, identities, workspaceId, values);
      case 'list':
        return await list(cli, identities, workspaceId);
      case 'remove':
        return await remove(cli, identities, workspaceId, positionals);
      case 'sync': {
        if (!syncSettings) throw new UsageError('sync needs the Twilio, TaskRouter and Slack settings.');
        const token = await syncToken(syncSettings, workspaceId, () =>
          secretBox ? new InstallationRepository(prisma, secretBox) : undefined,
        );
        return await sync(cli, identities, syncSettings, workspaceId, token, values['dry-run'] === true);
      }
      default:
        return await importCsv(cli, identities, workspaceId, positionals);
    }
  } finally {
    await prisma.$disconnect();
  }
});

await runAsProcess(import.meta.url, run);

interface AddOptions {
  email?: string | undefined;
  name?: string | undefined;
  'slack-user'?: string | undefined;
  'slack-team'?: string | undefined;
  'agent-id'?: string | undefined;
  role?: string | undefined;
  'flex-authorization'?: string | undefined;
}

async function add(
  cli: Cli,
  identities: IdentityRepository,
  workspaceId: string | undefined,
  values: AddOptions,
): Promise<number> {
  if (!values.email?.trim()) throw new UsageError('--email EMAIL is required.');
  const email = checkEmail(values.email);
  if (!email.ok) throw new UsageError(`--email ${email.problem}.`);
  if (!values.name?.trim()) throw new UsageError('--name NAME is required.');
  const name = checkName(values.name);
  if (!name.ok) throw new UsageError(`--name ${name.problem}.`);
  const agentId = values['agent-id']?.trim();
  if (agentId !== undefined && (agentId.length > 255 || hasControlCharacters(agentId))) {
    throw new UsageError('--agent-id must be at most 255 characters, without control characters.');
  }
  if (values.role !== undefined && !ROLES.includes(values.role as Role)) {
    throw new UsageError(`--role must be one of ${ROLES.join(', ')}.`);
  }
  const slackUser = values['slack-user']?.trim().toUpperCase();
  if (slackUser !== undefined && !/^[UW][A-Z0-9]{2,}$/.test(slackUser)) {
    throw new UsageError('--slack-user must be a Slack member id such as U0123ABCD.');
  }
  // With OAuth installs a person is linked in one workspace; with SLACK_BOT_TOKEN the team may be left out.
  // In a team's own workspace the person is in that team unless told otherwise.
  const slackTeam =
    values['slack-team']?.trim().toUpperCase() ?? (slackUser && workspaceId?.startsWith('T') ? workspaceId : undefined);
  if (slackTeam !== undefined && (!/^T[A-Z0-9]{2,}$/.test(slackTeam) || !slackUser)) {
    throw new UsageError('--slack-team must be a Slack team id such as T0123ABCD, given with --slack-user.');
  }
  let authorization = values['flex-authorization'];
  if (authorization === '-') authorization = await cli.readStdin();
  const { identity, outcome } = await identities.upsertByEmail({
    workspaceId,
    email: email.value,
    flexUserName: name.value,
    ...(slackUser ? { slackUserId: slackUser } : {}),
    ...(slackTeam ? { slackTeamId: slackTeam } : {}),
    ...(agentId ? { agentId } : {}),
    ...(values.role ? { role: values.role as Role } : {}),
    ...(authorization ? { flexAuthorization: authorization } : {}),
  });
  cli.out(
    `${outcome} ${printable(identity.email)} (${printable(identity.flexUserName)}, role ${identity.role})${inWorkspace(workspaceId)}`,
  );
  return 0;
}

async function list(cli: Cli, identities: IdentityRepository, workspaceId: string | undefined): Promise<number> {
  const rows = await identities.list(workspaceId);
  if (rows.length === 0) {
    cli.out(
      `No identities yet${inWorkspace(workspaceId)}. Add one with \`npm run identities -- add\`, import a CSV or sync from Flex.`,
    );
    return 0;
  }
  cli.out(
    table(
      ['EMAIL', 'NAME', 'SLACK USER', 'AGENT ID', 'ROLE', 'FLEX AUTH', 'ACTIVE'],
      rows.map((i) => [
        i.email,
        i.flexUserName,
        i.slackUserId ?? '-',
        i.agentId ?? '-',
        i.role,
        i.hasFlexAuthorization ? 'stored' : '-',
        i.active ? 'yes' : 'no',
      ]),
    ),
  );
  return 0;
}

async function remove(
  cli: Cli,
  identities: IdentityRepository,
  workspaceId: string | undefined,
  args: string[],
): Promise<number> {
  const [key] = args;
  if (!key) throw new UsageError('Name the identity to remove by email or Slack user id.');
  if (await identities.remove(workspaceId, key)) {
    cli.out(`removed ${key}${inWorkspace(workspaceId)} (deactivated; their past assessments keep their name)`);
    return 0;
  }
  cli.err(
    `No active identity${inWorkspace(workspaceId)} has the email or Slack user id ${key}. See npm run identities -- list${workspaceId ? ` --workspace ${workspaceId}` : ''}.`,
  );
  return 1;
}

async function importCsv(
  cli: Cli,
  identities: IdentityRepository,
  workspaceId: string | undefined,
  args: string[],
): Promise<number> {
  const [file] = args;
  if (!file) throw new UsageError('Name the CSV file to import.');
  const size = statSync(file).size;
  if (size > CSV_MAX_BYTES) {
    throw new IdentityCsvError(
      `${file} is ${(size / 1024 / 1024).toFixed(1)} MB; an import takes at most ${CSV_MAX_BYTES / 1024 / 1024} MB (about 100,000 people). Split it into smaller files and import each.`,
    );
  }
  const { rows, rejected } = parseIdentityCsv(readFileSync(file, 'utf8'));
  const counts = { added: 0, updated: 0, unchanged: 0 };
  for (const row of rows) {
    try {
      const { outcome } = await identities.upsertByEmail({
        workspaceId,
        email: row.email,
        flexUserName: row.name,
        role: row.role,
        ...(row.slackUserId
          ? {
              slackUserId: row.slackUserId,
              ...(workspaceId?.startsWith('T') ? { slackTeamId: workspaceId } : {}),
            }
          : {}),
        ...(row.agentId ? { agentId: row.agentId } : {}),
      });
      counts[outcome] += 1;
    } catch (error) {
      if (!(error instanceof SlackUserTakenError)) throw error;
      rejected.push({ line: row.line, email: row.email, problems: [error.message] });
    }
  }
  for (const row of rejected.sort((a, b) => a.line - b.line)) {
    cli.err(`line ${row.line}${row.email ? ` (${printable(row.email)})` : ''}: ${row.problems.join('; ')}`);
  }
  cli.out(
    `added ${counts.added}, updated ${counts.updated}, unchanged ${counts.unchanged}, rejected ${rejected.length}${inWorkspace(workspaceId)}`,
  );
  if (rejected.length > 0) {
    cli.err('The valid rows were imported; fix the rejected ones and import the file again.');
    return 1;
  }
  return 0;
}

/** The bot token the sync asks Slack with: SLACK_BOT_TOKEN's, or the named workspace's installation's. */
async function syncToken(
  settings: ReturnType<typeof loadIdentitySyncSettings>,
  workspaceId: string | undefined,
  installations: () => InstallationRepository | undefined,
): Promise<string> {
  if (!workspaceId) return settings.slack.botToken ?? '';
  const store = installations();
  if (!settings.slack.oauth || !store) {
    throw new UsageError(
      '--workspace needs the OAuth settings (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET, SECRETS_KEY).',
    );
  }
  return botTokenOfNamedWorkspace(
    { oauth: settings.slack.oauth, installations: store, slackApiUrl: settings.slack.apiUrl },
    workspaceId,
    ', so its people cannot be matched in Slack',
  );
}

async function sync(
  cli: Cli,
  identities: IdentityRepository,
  settings: ReturnType<typeof loadIdentitySyncSettings>,
  workspaceId: string | undefined,
  botToken: string,
  dryRun: boolean,
): Promise<number> {
  const taskRouter = createTaskRouterClient({
    baseUrl: settings.taskRouter.baseUrl,
    workspaceSid: settings.taskRouter.workspaceSid,
    credentials: { username: settings.flex.username, password: settings.flex.password },
    timeoutMs: settings.flex.timeoutMs,
  });
  try {
    const report = await runIdentitySync({
      taskRouter,
      identities,
      workspaceId,
      slack: patientSlackClient(botToken, settings.slack.apiUrl, new PinoBoltLogger(cli.log())),
      dryRun,
      startedBy: 'cli',
      logger: cli.log(),
    });
    if (workspaceId) cli.out(`Workspace ${workspaceId}:`);
    cli.out(formatSyncReport(report));
    return 0;
  } finally {
    await taskRouter.close();
  }
}

function inWorkspace(workspaceId: string | undefined): string {
  return workspaceId ? ` in workspace ${workspaceId}` : '';
}
