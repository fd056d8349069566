// `npm run identities -- add|list|remove|import|sync`: who may comment from Slack, and as which Flex identity.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadIdentitySyncSettings } from '../config/config.js';
import { readEnvFile } from '../config/env-file.js';
import { IdentityRepository, ROLES, type Role } from '../db/repositories/identity-repository.js';
import { parseIdentityCsv } from '../domain/identities/identity-csv.js';
import { formatSyncReport } from '../domain/identities/identity-sync.js';
import { createTaskRouterClient } from '../flex/taskrouter-client.js';
import { createSecretBox } from '../security/secret-box.js';
import { patientSlackClient } from '../slack/directory/slack-users.js';
import { runIdentitySync } from '../wiring/identity-sync.js';
import { openCliDatabase, readStdin, runCli, table, UsageError } from './cli-support.js';

const USAGE = `Usage:
  npm run identities -- add --email EMAIL --name NAME [--slack-user U… [--slack-team T…]] [--agent-id ID] [--role reviewer|admin|none] [--flex-authorization VALUE|-]
  npm run identities -- list
  npm run identities -- remove EMAIL_OR_SLACK_USER_ID
  npm run identities -- import FILE.csv     (header: email,name[,slack_user_id,agent_id,role])
  npm run identities -- sync [--dry-run]   read TaskRouter's workers and match them to Slack users by email

--flex-authorization - reads the value from standard input, so it stays out of shell history.`;

await runCli(USAGE, async () => {
  const [command, ...rest] = process.argv.slice(2);
  if (!command || command === '--help' || command === 'help') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  if (!['add', 'list', 'remove', 'import', 'sync'].includes(command))
    throw new UsageError(`Unknown command "${command}".`);
  const syncSettings = command === 'sync' ? loadIdentitySyncSettings(readEnvFile()) : undefined;
  const { prisma, secretsKey } = await openCliDatabase();
  const identities = new IdentityRepository(prisma, secretsKey ? createSecretBox(secretsKey) : undefined);
  try {
    switch (command) {
      case 'add':
        return await add(identities, rest);
      case 'list':
        return await list(identities);
      case 'remove':
        return await remove(identities, rest);
      case 'sync':
        if (!syncSettings) throw new UsageError('sync needs the Twilio, TaskRouter and Slack settings.');
        return await sync(identities, syncSettings, rest);
      default:
        return await importCsv(identities, rest);
    }
  } finally {
    await prisma.$disconnect();
  }
});

async function add(identities: IdentityRepository, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      'slack-user': { type: 'string' },
      'slack-team': { type: 'string' },
      'agent-id': { type: 'string' },
      role: { type: 'string' },
      'flex-authorization': { type: 'string' },
    },
    strict: true,
  });
  if (!values.email || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email))
    throw new UsageError('--email EMAIL is required.');
  if (!values.name?.trim()) throw new UsageError('--name NAME is required.');
  if (values.role !== undefined && !ROLES.includes(values.role as Role)) {
    throw new UsageError(`--role must be one of ${ROLES.join(', ')}.`);
  }
  const slackUser = values['slack-user']?.trim().toUpperCase();
  if (slackUser !== undefined && !/^[UW][A-Z0-9]{2,}$/.test(slackUser)) {
    throw new UsageError('--slack-user must be a Slack member id such as U0123ABCD.');
  }
  // With OAuth installs a person is linked in one workspace; with SLACK_BOT_TOKEN the team may be left out.
  const slackTeam = values['slack-team']?.trim().toUpperCase();
  if (slackTeam !== undefined && (!/^T[A-Z0-9]{2,}$/.test(slackTeam) || !slackUser)) {
    throw new UsageError('--slack-team must be a Slack team id such as T0123ABCD, given with --slack-user.');
  }
  let authorization = values['flex-authorization'];
  if (authorization === '-') authorization = await readStdin();
  const { identity, outcome } = await identities.upsertByEmail({
    email: values.email,
    flexUserName: values.name,
    ...(slackUser ? { slackUserId: slackUser } : {}),
    ...(slackTeam ? { slackTeamId: slackTeam } : {}),
    ...(values['agent-id'] ? { agentId: values['agent-id'].trim() } : {}),
    ...(values.role ? { role: values.role as Role } : {}),
    ...(authorization ? { flexAuthorization: authorization } : {}),
  });
  console.log(`${outcome} ${identity.email} (${identity.flexUserName}, role ${identity.role})`);
  return 0;
}

async function list(identities: IdentityRepository): Promise<number> {
  const rows = await identities.list();
  if (rows.length === 0) {
    console.log('No identities yet. Add one with `npm run identities -- add` or import a CSV.');
    return 0;
  }
  console.log(
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

async function remove(identities: IdentityRepository, args: string[]): Promise<number> {
  const [key] = args;
  if (!key) throw new UsageError('Name the identity to remove by email or Slack user id.');
  if (await identities.remove(key)) {
    console.log(`removed ${key} (deactivated; their past assessments keep their name)`);
    return 0;
  }
  console.error(`No active identity has the email or Slack user id ${key}.`);
  return 1;
}

async function importCsv(identities: IdentityRepository, args: string[]): Promise<number> {
  const [file] = args;
  if (!file) throw new UsageError('Name the CSV file to import.');
  const { rows, rejected } = parseIdentityCsv(readFileSync(file, 'utf8'));
  const counts = { added: 0, updated: 0, unchanged: 0 };
  for (const row of rows) {
    const { outcome } = await identities.upsertByEmail({
      email: row.email,
      flexUserName: row.name,
      role: row.role,
      ...(row.slackUserId ? { slackUserId: row.slackUserId } : {}),
      ...(row.agentId ? { agentId: row.agentId } : {}),
    });
    counts[outcome] += 1;
  }
  for (const row of rejected) {
    console.error(`line ${row.line}${row.email ? ` (${row.email})` : ''}: ${row.problems.join('; ')}`);
  }
  console.log(
    `added ${counts.added}, updated ${counts.updated}, unchanged ${counts.unchanged}, rejected ${rejected.length}`,
  );
  if (rejected.length > 0) {
    console.error('The valid rows were imported; fix the rejected ones and import the file again.');
    return 1;
  }
  return 0;
}

async function sync(
  identities: IdentityRepository,
  settings: ReturnType<typeof loadIdentitySyncSettings>,
  args: string[],
): Promise<number> {
  const { values } = parseArgs({ args, options: { 'dry-run': { type: 'boolean' } }, strict: true });
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
      slack: patientSlackClient(settings.slack.botToken, settings.slack.apiUrl),
      dryRun: values['dry-run'] === true,
      startedBy: 'cli',
    });
    console.log(formatSyncReport(report));
    return 0;
  } finally {
    await taskRouter.close();
  }
}
