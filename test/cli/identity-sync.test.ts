import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openDatabase } from '../../src/db/prisma-client.js';
import type { PrismaClient } from '../../src/generated/prisma/client.js';
import { FakeSlackApi } from '../fakes/fake-slack-api.js';
import { FakeTaskRouterApi } from '../fakes/fake-taskrouter-api.js';
import { runCli } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'flex-qm-sync-'));
const databaseUrl = `file:${join(dir, 'sync.db')}`;
const BOT_TOKEN = 'xoxb-sync-test';
const TEAM_ID = 'T0SYNC001';

let slack: FakeSlackApi;
let taskRouter: FakeTaskRouterApi;

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    DATABASE_URL: databaseUrl,
    TWILIO_ACCOUNT_SID: taskRouter.accountSid,
    TWILIO_AUTH_TOKEN: taskRouter.authToken,
    TASKROUTER_API_BASE_URL: taskRouter.baseUrl,
    TASKROUTER_WORKSPACE_SID: taskRouter.workspaceSid,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: slack.apiUrl,
    ...extra,
  };
}

/** `npm run identities -- sync …` as a deployer runs it (in this process, see run-cli.ts). */
function sync(args: string[] = [], extra: Record<string, string> = {}) {
  return runCli('identities', ['sync', ...args], { env: env(extra) });
}

async function withDb<T>(work: (prisma: PrismaClient) => Promise<T>): Promise<T> {
  const prisma = await openDatabase(databaseUrl);
  try {
    return await work(prisma);
  } finally {
    await prisma.$disconnect();
  }
}

const ana = FakeTaskRouterApi.worker({ email: 'Ana@Example.com', full_name: 'Ana Lopez', agent_id: 'agent-ana' });
const bob = FakeTaskRouterApi.worker({ email: 'bob@example.com', full_name: 'Bob Brown', contact_uri: 'client:bob' });
const dee = FakeTaskRouterApi.worker({ email: 'dee@example.com', full_name: 'Dee Dee' });
const twinA = FakeTaskRouterApi.worker({ email: 'shared@example.com', full_name: 'Twin A' });
const twinB = FakeTaskRouterApi.worker({ email: 'shared@example.com', full_name: 'Twin B' });
const brokenJson = FakeTaskRouterApi.worker('{"email": "half');
const noEmail = FakeTaskRouterApi.worker({ full_name: 'No Email', contact_uri: 'client:noemail' });

before(async () => {
  slack = await FakeSlackApi.start({
    botToken: BOT_TOKEN,
    teamId: TEAM_ID,
    scopes: ['chat:write', 'commands', 'users:read', 'users:read.email', 'usergroups:read'],
  });
  slack.addUser({ id: 'U0ANA0001', name: 'ana', email: 'ana@example.com', teamId: TEAM_ID });
  slack.addUser({ id: 'U0DEE0001', name: 'dee', email: 'dee@example.com', teamId: TEAM_ID });
  slack.addUser({ id: 'U0SHARED1', name: 'twin', email: 'shared@example.com', teamId: TEAM_ID });
  // Two workers per page, so the sync must follow next_page_url three times.
  taskRouter = await FakeTaskRouterApi.start({ maxPageSize: 2 });
  taskRouter.setWorkers([ana, bob, dee, twinA, twinB, brokenJson, noEmail]);
});

after(async () => {
  await slack.close();
  await taskRouter.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run identities -- sync', () => {
  it('says which setting is missing before touching anything', async () => {
    const result = await sync([], { TASKROUTER_WORKSPACE_SID: '' });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /TASKROUTER_WORKSPACE_SID is required to sync/);
    const wrong = await sync([], { TASKROUTER_WORKSPACE_SID: `WS${'a'.repeat(32)}` });
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /TaskRouter has no such workspace.*Check TASKROUTER_WORKSPACE_SID/);
    const refused = await sync([], { TWILIO_AUTH_TOKEN: 'wrong' });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /refused the app's credentials \(Twilio error 20003/);
  });

  it('a dry run reports what it would do and changes nothing', async () => {
    // Ana was added by hand as an admin before the sync existed; Manny is not in Flex at all.
    const added = await runCli(
      'identities',
      ['add', '--email', 'ana@example.com', '--name', 'Ana', '--role', 'admin'],
      {
        env: env(),
      },
    );
    assert.equal(added.code, 0, added.stderr);
    const manny = await runCli('identities', ['add', '--email', 'manny@example.com', '--name', 'Manny'], {
      env: env(),
    });
    assert.equal(manny.code, 0, manny.stderr);

    const before = taskRouter.requests.length;
    const result = await sync(['--dry-run']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Dry run: nothing was changed/);
    assert.match(
      result.stdout,
      /Flex workers: 5; matched to Slack: 2; it would add 2, update 1 and deactivate 0; 0 would stay unchanged/,
    );
    assert.doesNotMatch(result.stdout, /would be/);
    // Paging as Twilio pages: PageSize on the first request, then the next_page_url links as given.
    const pages = taskRouter.requests.slice(before);
    assert.equal(pages.length, 4);
    assert.equal(pages[0]?.query.get('PageSize'), '1000');
    assert.ok(
      pages.slice(1).every((page) => page.query.get('PageToken')?.startsWith('PT')),
      "pages.slice(1).every((page) => page.query.get('PageToken')?.startsWith('PT'))",
    );
    await withDb(async (prisma) => {
      assert.equal(await prisma.identity.count(), 2);
      assert.equal(await prisma.identitySyncRun.count(), 0);
    });
  });

  it('matches by email, keeps roles, and reports unmatched, ambiguous and broken people', async () => {
    const result = await sync();
    assert.equal(result.code, 0, result.stderr);
    const out = result.stdout;
    assert.match(out, /Flex workers: 5; matched to Slack: 2; added 2, updated 1, deactivated 0, unchanged 0/);
    assert.match(
      out,
      /Updated \(1\):\n {2}ana@example\.com: name Ana → Ana Lopez; agent id - → agent-ana; Flex worker WK\w+; linked to Slack user U0ANA0001/,
    );
    assert.match(out, /In Flex, no Slack user with that email[^\n]*\n {2}bob@example\.com \(Bob Brown, WK/);
    assert.match(out, /Identities not in Flex[^\n]*\n {2}manny@example\.com/);
    assert.match(
      out,
      /Ambiguous, left alone \(1\):\n {2}shared@example\.com \[WK\w+, WK\w+\]: 2 Flex workers have this email/,
    );
    assert.match(out, new RegExp(`${brokenJson.sid} \\(broken\\): attributes are not valid JSON`));
    assert.match(out, new RegExp(`${noEmail.sid} \\(no_email\\): attributes have no email`));

    await withDb(async (prisma) => {
      const rows = await prisma.identity.findMany({ orderBy: { email: 'asc' } });
      assert.deepEqual(
        rows.map((r) => [r.email, r.flexUserName, r.flexWorkerSid, r.slackUserId, r.agentId, r.role, r.active]),
        [
          ['ana@example.com', 'Ana Lopez', ana.sid, 'U0ANA0001', 'agent-ana', 'admin', true],
          ['bob@example.com', 'Bob Brown', bob.sid, null, null, 'none', true],
          ['dee@example.com', 'Dee Dee', dee.sid, 'U0DEE0001', null, 'none', true],
          ['manny@example.com', 'Manny', null, null, null, 'reviewer', true],
        ],
      );
      assert.equal(await prisma.identitySyncRun.count(), 1);
    });
  });

  it('changes nothing the second time, and asks Slack only about people not linked yet', async () => {
    const lookupsBefore = slack.calls('users.lookupByEmail').length;
    const result = await sync();
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /added 0, updated 0, deactivated 0, unchanged 3/);
    const asked = slack
      .calls('users.lookupByEmail')
      .slice(lookupsBefore)
      .map((call) => call.args.email);
    assert.deepEqual(asked, ['bob@example.com']);
  });

  it('follows an email change by worker SID, deactivates a worker gone from Flex and keeps their assessments', async () => {
    const bobAssessment = await withDb(async (prisma) => {
      const bobRow = await prisma.identity.findUniqueOrThrow({
        where: { slackWorkspaceId_email: { slackWorkspaceId: '', email: 'bob@example.com' } },
      });
      return prisma.assessment.create({
        data: {
          submissionKey: 'V0BOBSYNC1',
          reviewerId: bobRow.id,
          categoryId: 'c1',
          categoryName: 'Good for Training',
          comment: 'Kept after Bob left',
          segmentId: '0105be7a-9b87-51f1-8df8-aa74ddb9c4a7',
          agentId: 'agent-1',
          offsetSeconds: 0,
          status: 'posted',
          slackTeamId: TEAM_ID,
          slackUserId: 'U0BOB0001',
          source: 'command',
        },
      });
    });
    slack.addUser({ id: 'U0ANA0001', name: 'ana', email: 'ana.lopez@example.com', teamId: TEAM_ID });
    taskRouter.setWorkers([
      { ...ana, attributes: { email: 'ana.lopez@example.com', full_name: 'Ana Lopez', agent_id: 'agent-ana' } },
      dee,
    ]);
    const result = await sync();
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /ana\.lopez@example\.com: email ana@example\.com → ana\.lopez@example\.com/);
    assert.match(
      result.stdout,
      /Deactivated \(gone from Flex; their assessments are kept\) \(1\):\n {2}bob@example\.com/,
    );

    await withDb(async (prisma) => {
      const rows = await prisma.identity.findMany({ orderBy: { email: 'asc' } });
      assert.deepEqual(
        rows.map((r) => [r.email, r.flexWorkerSid, r.slackUserId, r.role, r.active]),
        [
          ['ana.lopez@example.com', ana.sid, 'U0ANA0001', 'admin', true],
          ['bob@example.com', bob.sid, null, 'none', false],
          ['dee@example.com', dee.sid, 'U0DEE0001', 'none', true],
          ['manny@example.com', null, null, 'reviewer', true],
        ],
      );
      const kept = await prisma.assessment.findUniqueOrThrow({ where: { id: bobAssessment.id } });
      assert.equal(kept.reviewerId, bobAssessment.reviewerId);
    });
  });

  it('waits out Slack’s rate limit (429 with Retry-After) and then matches', async () => {
    slack.addUser({ id: 'U0EVE0001', name: 'eve', email: 'eve@example.com', teamId: TEAM_ID });
    const eve = FakeTaskRouterApi.worker({ email: 'eve@example.com', full_name: 'Eve' });
    taskRouter.setWorkers([
      { ...ana, attributes: { email: 'ana.lopez@example.com', full_name: 'Ana Lopez', agent_id: 'agent-ana' } },
      dee,
      eve,
    ]);
    slack.failNext('users.lookupByEmail', { retryAfterSeconds: 1 });
    const before = slack.calls('users.lookupByEmail').length;
    const result = await sync();
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /matched to Slack: 3; added 1/);
    const calls = slack.calls('users.lookupByEmail').slice(before);
    assert.deepEqual(
      calls.map((call) => call.status),
      [429, 200],
    );
    assert.ok((calls[1]?.at ?? 0) - (calls[0]?.at ?? 0) >= 1_000, 'the retry came after Retry-After');
  });
});
