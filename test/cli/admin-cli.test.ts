import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openDatabase } from '../../src/db/prisma-client.js';
import { FakeFlexApi } from '../fakes/fake-flex-api.js';
import { type CliName, runCli, runCliProcess } from '../helpers/run-cli.js';
import { testSecretsKey } from '../helpers/secrets-keys.js';

const dir = mkdtempSync(join(tmpdir(), 'flex-qm-cli-'));
const databaseUrl = `file:${join(dir, 'cli.db')}`;
const SECRETS_KEY = testSecretsKey(3).toString('base64');

/** Runs an admin command as a deployer would, in a clean environment (in this process, see run-cli.ts). */
function run(cli: CliName, args: string[], options: { env?: Record<string, string>; stdin?: string } = {}) {
  return runCli(cli, args, { ...options, env: { DATABASE_URL: databaseUrl, SECRETS_KEY, ...options.env } });
}

/** The same, as its own process: for what only a process shows (exit codes, standard input and output). */
function runProcess(cli: CliName, args: string[], options: { env?: Record<string, string>; stdin?: string } = {}) {
  return runCliProcess(cli, args, { ...options, env: { DATABASE_URL: databaseUrl, SECRETS_KEY, ...options.env } });
}

after(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run identities', () => {
  it('imports a CSV keyed by email: the second import updates, never duplicates, and bad rows are named', async () => {
    const csv = join(dir, 'people.csv');
    writeFileSync(
      csv,
      '\uFEFFEmail,Name,Slack_User_Id,Agent_Id,Role\r\nana@example.com,Ana Lopez,U0ANA0001,agent-ana,admin\r\nnot-an-email,Bob,,,\r\n"rita@example.com","Rita, R.",u0rita001,,\r\nzed@example.com,Zed,,,boss\r\n',
    );
    const first = await run('identities', ['import', csv]);
    assert.equal(first.code, 1, 'rejected rows make the exit code 1');
    assert.match(first.stdout, /added 2, updated 0, unchanged 0, rejected 2/);
    assert.match(first.stderr, /line 3 \(not-an-email\): email is not an email address/);
    assert.match(first.stderr, /line 5 \(zed@example.com\): role must be reviewer, admin or none/);

    writeFileSync(csv, 'email,name,role\nANA@example.com,Ana López,admin\nrita@example.com,"Rita, R.",reviewer\n');
    const second = await run('identities', ['import', csv]);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /added 0, updated 1, unchanged 1, rejected 0/);

    const prisma = await openDatabase(databaseUrl);
    try {
      const rows = await prisma.identity.findMany({ orderBy: { email: 'asc' } });
      assert.deepEqual(
        rows.map((r) => [r.email, r.flexUserName, r.slackUserId, r.role]),
        [
          ['ana@example.com', 'Ana López', 'U0ANA0001', 'admin'],
          ['rita@example.com', 'Rita, R.', 'U0RITA001', 'reviewer'],
        ],
      );
    } finally {
      await prisma.$disconnect();
    }
  });

  it('refuses a file with unknown columns, saying which are allowed', async () => {
    const csv = join(dir, 'wrong.csv');
    writeFileSync(csv, 'email,name,phone\na@b.co,A,123\n');
    const result = await run('identities', ['import', csv]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /Unknown column\(s\) phone\. Allowed: email, name, slack_user_id, agent_id, role/);
  });

  it('adds, lists and removes, keeping a Flex Authorization value sealed and out of every output', async () => {
    const secret = 'Token flex-user-secret-value-42';
    // Its own process: the value is read from the process's standard input.
    const added = await runProcess(
      'identities',
      ['add', '--email', 'lee@example.com', '--name', 'Lee', '--slack-user', 'U0LEE0001', '--flex-authorization', '-'],
      { stdin: `${secret}\n` },
    );
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, /added lee@example.com \(Lee, role reviewer\)/);
    // stdout is the command's output; its log line goes to stderr.
    assert.match(added.stderr, /"event":"admin_command","cli":"identities","action":"add","exitCode":0/);
    assert.doesNotMatch(added.stdout, /admin_command/);

    const list = await run('identities', ['list']);
    assert.match(list.stdout, /lee@example\.com\s+Lee\s+U0LEE0001\s+-\s+reviewer\s+stored\s+yes/);
    assert.ok(
      !`${list.stdout}${list.stderr}${added.stdout}${added.stderr}`.includes(secret),
      'the secret appears nowhere in the output',
    );

    const { readFileSync } = await import('node:fs');
    const path = databaseUrl.slice('file:'.length);
    for (const file of [path, `${path}-wal`]) {
      try {
        assert.ok(
          !readFileSync(file).includes(Buffer.from('flex-user-secret-value-42')),
          `${file} holds the plaintext`,
        );
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }

    const withoutKey = await run(
      'identities',
      ['add', '--email', 'x@example.com', '--name', 'X', '--flex-authorization', 'v'],
      {
        env: { SECRETS_KEY: '' },
      },
    );
    assert.equal(withoutKey.code, 1);
    assert.match(withoutKey.stderr, /needs SECRETS_KEY/);

    const removed = await run('identities', ['remove', 'U0LEE0001']);
    assert.equal(removed.code, 0);
    assert.match((await run('identities', ['list'])).stdout, /lee@example\.com.*\bno$/m);
    assert.equal((await run('identities', ['remove', 'nobody@example.com'])).code, 1);
  });

  it('explains its usage on a wrong call', async () => {
    const result = await runProcess('identities', ['frobnicate']);
    assert.equal(result.code, 2, 'the process exits 2');
    assert.match(result.stderr, /Unknown command "frobnicate"[\s\S]*npm run identities -- import FILE\.csv/);
    const missing = await run('identities', ['add', '--name', 'No Email']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--email EMAIL is required/);
  });
  it('keeps each workspace’s people apart with --workspace: the same email twice, listed, removed and imported per workspace', async () => {
    const inAcme = await run('identities', [
      'add',
      '--workspace',
      'T0ACME0001',
      '--email',
      'pat@example.com',
      '--name',
      'Pat of Acme',
      '--slack-user',
      'U0PAT0001',
      '--role',
      'admin',
    ]);
    assert.equal(inAcme.code, 0, inAcme.stderr);
    assert.match(inAcme.stdout, /added pat@example\.com \(Pat of Acme, role admin\) in workspace T0ACME0001/);
    const inOrg = await run('identities', [
      'add',
      '--workspace',
      'e0grid0001',
      '--email',
      'pat@example.com',
      '--name',
      'Pat of the org',
    ]);
    assert.equal(inOrg.code, 0, inOrg.stderr);
    assert.match(inOrg.stdout, /added pat@example\.com .* in workspace E0GRID0001/, 'a second person, not an update');

    const acmeList = await run('identities', ['list', '--workspace', 'T0ACME0001']);
    assert.match(acmeList.stdout, /pat@example\.com\s+Pat of Acme\s+U0PAT0001/);
    assert.doesNotMatch(acmeList.stdout, /Pat of the org|ana@example\.com/);
    // One Slack user is one person in a workspace: a second identity cannot take Pat's Slack user there.
    const taken = await run('identities', [
      'add',
      '--workspace',
      'T0ACME0001',
      '--email',
      'impostor@example.com',
      '--name',
      'Imp',
      '--slack-user',
      'U0PAT0001',
    ]);
    assert.equal(taken.code, 1);
    assert.match(taken.stderr, /Slack user U0PAT0001 is already linked to pat@example\.com in this workspace\. Unlink/);
    const takenCsv = join(dir, 'taken.csv');
    writeFileSync(takenCsv, 'email,name,slack_user_id\nnew@example.com,New,\nimp@example.com,Imp,U0PAT0001\n');
    const takenImport = await run('identities', ['import', takenCsv, '--workspace', 'T0ACME0001']);
    assert.equal(takenImport.code, 1);
    assert.match(takenImport.stdout, /added 1, updated 0, unchanged 0, rejected 1 in workspace T0ACME0001/);
    assert.match(
      takenImport.stderr,
      /line 3 \(imp@example\.com\): Slack user U0PAT0001 is already linked to pat@example\.com/,
    );
    const singleList = await run('identities', ['list']);
    assert.doesNotMatch(singleList.stdout, /pat@example\.com/, 'the single-token workspace has no Pat');

    // Ana López was imported above into the single-token workspace; the org gets its own Ana.
    const csv = join(dir, 'org.csv');
    writeFileSync(csv, 'email,name,slack_user_id\nana@example.com,Ana of the org,W0ANA0001\n');
    const imported = await run('identities', ['import', csv, '--workspace', 'E0GRID0001']);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /added 1, updated 0, unchanged 0, rejected 0 in workspace E0GRID0001/);

    const notThere = await run('identities', ['remove', 'pat@example.com', '--workspace', 'T0GLBX0001']);
    assert.equal(notThere.code, 1);
    assert.match(notThere.stderr, /No active identity in workspace T0GLBX0001 has .*pat@example\.com/);
    assert.equal((await run('identities', ['remove', 'pat@example.com', '--workspace', 'T0ACME0001'])).code, 0);

    const prisma = await openDatabase(databaseUrl);
    try {
      const rows = await prisma.identity.findMany({
        where: { email: { in: ['pat@example.com', 'ana@example.com'] } },
        orderBy: [{ email: 'asc' }, { slackWorkspaceId: 'asc' }],
      });
      assert.deepEqual(
        rows.map((r) => [r.slackWorkspaceId, r.email, r.flexUserName, r.slackTeamId, r.slackUserId, r.active]),
        [
          ['', 'ana@example.com', 'Ana López', null, 'U0ANA0001', true],
          ['E0GRID0001', 'ana@example.com', 'Ana of the org', null, 'W0ANA0001', true],
          ['E0GRID0001', 'pat@example.com', 'Pat of the org', null, null, true],
          ['T0ACME0001', 'pat@example.com', 'Pat of Acme', null, null, false],
        ],
      );
    } finally {
      await prisma.$disconnect();
    }

    const wrong = await run('identities', ['list', '--workspace', 'C0CHANNEL1']);
    assert.equal(wrong.code, 2);
    assert.match(
      wrong.stderr,
      /--workspace must be a Slack team id \(T0123ABCD\) or, for an org-wide install, an org id/,
    );
    const misplaced = await run('identities', ['list', '--dry-run']);
    assert.equal(misplaced.code, 2);
    assert.match(misplaced.stderr, /list does not take --dry-run/);
  });
});

describe('npm run categories', () => {
  let flex: FakeFlexApi;
  before(async () => {
    flex = await FakeFlexApi.start();
  });
  after(async () => {
    await flex.close();
  });

  const flexEnv = () => ({
    FLEX_API_BASE_URL: flex.baseUrl,
    TWILIO_ACCOUNT_SID: flex.accountSid,
    TWILIO_AUTH_TOKEN: flex.authToken,
  });

  it('syncs Flex’s comment categories, deactivating what Flex dropped and leaving hand-added ones', async () => {
    assert.equal((await run('categories', ['add', '--id', 'manual-1', '--name', 'Escalation'])).code, 0);
    flex.setCommentCategories([
      { id: '4b4e78e4-4f05-49e2-bf52-0973c5cde418', name: 'Good for Training', default: true, sort: 1 },
      { id: '9c1b7e2a-0d3f-4a5b-8c6d-7e8f9a0b1c2d', name: 'Compliance', sort: 2 },
    ]);
    const first = await run('categories', ['sync'], { env: flexEnv() });
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /added 2, updated 0, deactivated 0, unchanged 0/);

    flex.setCommentCategories([{ id: '4b4e78e4-4f05-49e2-bf52-0973c5cde418', name: 'Good for training', sort: 1 }]);
    const second = await run('categories', ['sync'], { env: flexEnv() });
    assert.match(second.stdout, /added 0, updated 1, deactivated 1, unchanged 0/);

    const list = await run('categories', ['list']);
    assert.match(list.stdout, /4b4e78e4-4f05-49e2-bf52-0973c5cde418\s+Good for training\s+flex\s+-\s+yes/);
    assert.match(list.stdout, /9c1b7e2a-0d3f-4a5b-8c6d-7e8f9a0b1c2d\s+Compliance\s+flex\s+-\s+no/);
    assert.match(list.stdout, /manual-1\s+Escalation\s+manual\s+-\s+yes/);
  });

  it('reads CommentTags with `comments: null` or without comments as no tags (the spec declares it nullable)', async () => {
    flex.setCommentCategories([{ id: 'a1b2c3d4-0000-4000-8000-000000000001', name: 'Kept for now', sort: 1 }]);
    assert.equal((await run('categories', ['sync'], { env: flexEnv() })).code, 0);
    const url = 'https://flex-api.twilio.com/v1/Insights/QualityManagement/Settings/CommentTags';
    for (const body of [
      { account_sid: flex.accountSid, comments: null, url },
      { account_sid: flex.accountSid, url },
    ]) {
      flex.failNext({ method: 'GET', status: 200, body: JSON.stringify(body) });
      const synced = await run('categories', ['sync'], { env: flexEnv() });
      assert.equal(synced.code, 0, synced.stderr);
      assert.match(synced.stdout, /added 0, updated 0, deactivated \d+, unchanged 0/);
    }
    const list = await run('categories', ['list']);
    assert.match(list.stdout, /a1b2c3d4-0000-4000-8000-000000000001\s+Kept for now\s+flex\s+-\s+no/);
  });

  it('says what went wrong when Flex refuses the credentials or the settings are missing', async () => {
    const refused = await run('categories', ['sync'], { env: { ...flexEnv(), TWILIO_AUTH_TOKEN: 'wrong' } });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /Flex refused the app's credentials \(Twilio error 20003/);

    const unset = await runProcess('categories', ['sync']);
    assert.equal(unset.code, 1, 'the process exits 1');
    assert.match(unset.stderr, /TWILIO_ACCOUNT_SID is required/);
  });
});

describe('npm run assessments', () => {
  it('lists and shows assessments, and puts a failed one back in the queue once', async () => {
    const prisma = await openDatabase(databaseUrl);
    let id: string;
    try {
      const reviewer = await prisma.identity.upsert({
        where: { slackWorkspaceId_email: { slackWorkspaceId: '', email: 'queue@example.com' } },
        create: { email: 'queue@example.com', flexUserName: 'Quinn' },
        update: {},
      });
      const row = await prisma.assessment.create({
        data: {
          submissionKey: 'V0FAILED01',
          reviewerId: reviewer.id,
          categoryId: 'c1',
          categoryName: 'Good for Training',
          comment: 'Lost in Flex?',
          segmentId: '0105be7a-9b87-51f1-8df8-aa74ddb9c4a7',
          agentId: 'agent-1',
          offsetSeconds: 12,
          status: 'failed',
          attempts: 8,
          lastError: 'Flex could not be reached after 8 attempts',
          slackTeamId: 'T1',
          slackUserId: 'U0QUINN01',
          source: 'command',
        },
      });
      id = row.id;
    } finally {
      await prisma.$disconnect();
    }

    const list = await run('assessments', ['list', '--status', 'failed']);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, new RegExp(`${id}\\s+failed\\s+8\\s+.*U0QUINN01\\s+Good for Training`));
    const show = await run('assessments', ['show', id]);
    assert.match(show.stdout, /comment: Lost in Flex\?/);
    assert.match(show.stdout, /reviewer: \{"email":"queue@example.com","flexUserName":"Quinn"\}/);

    const retried = await run('assessments', ['retry', id]);
    assert.equal(retried.code, 0, retried.stderr);
    assert.match(retried.stdout, /is queued again/);
    const again = await run('assessments', ['retry', id]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /is pending, not failed/);

    const check = await openDatabase(databaseUrl);
    try {
      const row = await check.assessment.findUniqueOrThrow({ where: { id } });
      assert.equal(row.status, 'pending');
      assert.equal(row.attempts, 0);
    } finally {
      await check.$disconnect();
    }
    assert.equal((await runProcess('assessments', ['list', '--status', 'lost'])).code, 2, 'the process exits 2');
  });
});
