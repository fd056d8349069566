import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { applyMigrations } from '../../src/db/migrate.js';
import { openDatabase } from '../../src/db/prisma-client.js';
import { runCli } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'flex-qm-diagnose-'));
const databaseUrl = `file:${join(dir, 'diagnose.db')}`;

/** Runs an admin command as a deployer would, in a clean environment, piped (no terminal width). */
function run(cli: 'categories' | 'assessments', args: string[]) {
  return runCli(cli, args, { env: { DATABASE_URL: databaseUrl } });
}

const HOUR = 3_600_000;
const LONG_ERROR =
  'Flex did not accept the comment’s details (Twilio error 20001: Invalid parameter SegmentId, it must be the id of a segment of this account). Check the category, the call and the time, then submit again. This sentence runs on so that it is longer than any terminal line: the last words are THE-END-OF-THE-ERROR';

const ROWS = [
  { id: 'a1b2c3d4-0000-4000-8000-000000000001', sid: `FM${'ab12'.repeat(8)}`, status: 'posted', ageMs: 0.5 * HOUR },
  { id: 'a1b2c3d4-0000-4000-8000-000000000002', sid: `FM${'cd34'.repeat(8)}`, status: 'posted', ageMs: 3 * HOUR },
  { id: 'f00dbabe-0000-4000-8000-000000000003', sid: null, status: 'failed', ageMs: 0.2 * HOUR, error: LONG_ERROR },
  { id: 'beefcafe-0000-4000-8000-000000000004', sid: null, status: 'failed', ageMs: 30 * HOUR, error: 'old failure' },
] as const;

before(async () => {
  await applyMigrations({ databaseUrl });
  const prisma = await openDatabase(databaseUrl);
  try {
    const reviewer = await prisma.identity.create({ data: { email: 'rita@example.com', flexUserName: 'Rita' } });
    for (const row of ROWS) {
      await prisma.assessment.create({
        data: {
          id: row.id,
          submissionKey: `V${row.id.slice(-4)}`,
          reviewerId: reviewer.id,
          categoryId: 'c1',
          categoryName: 'Greeting',
          comment: 'Warm greeting',
          segmentId: `seg-${row.id.slice(-1)}`,
          agentId: 'agent-1',
          offsetSeconds: 0,
          status: row.status,
          attempts: 1,
          lastError: 'error' in row ? row.error : null,
          flexAssessmentSid: row.sid,
          slackTeamId: 'T1',
          slackUserId: 'U0RITA001',
          source: 'command',
          createdAt: new Date(Date.now() - row.ageMs),
        },
      });
    }
    await prisma.category.createMany({
      data: [
        { id: 'manual-1', name: 'Added by hand', source: 'manual' },
        { id: 'manual-2', name: 'Also by hand', source: 'manual' },
      ],
    });
  } finally {
    await prisma.$disconnect();
  }
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run assessments -- show', () => {
  it('finds an assessment by its FM SID, by a prefix of the SID (any case) and by a prefix of its id', async () => {
    const [first, second] = ROWS;
    const [bySid, bySidPrefix, byIdPrefix] = await Promise.all([
      run('assessments', ['show', first.sid]),
      run('assessments', ['show', `fm${'CD34'.repeat(2)}`]),
      run('assessments', ['show', 'f00dba']),
    ]);
    assert.equal(bySid.code, 0, bySid.stderr);
    assert.match(bySid.stdout, new RegExp(`^id: ${first.id}$`, 'm'));
    assert.equal(bySidPrefix.code, 0, bySidPrefix.stderr);
    assert.match(bySidPrefix.stdout, new RegExp(`^id: ${second.id}$`, 'm'));
    assert.equal(byIdPrefix.code, 0, byIdPrefix.stderr);
    assert.match(byIdPrefix.stdout, /^id: f00dbabe-0000-4000-8000-000000000003$/m);
    assert.match(byIdPrefix.stdout, /THE-END-OF-THE-ERROR/, 'the error whole');
  });

  it('says a prefix is ambiguous and lists the candidates; says when nothing matches', async () => {
    const [ambiguous, none, tooShort] = await Promise.all([
      run('assessments', ['show', 'a1b2c3d4']),
      run('assessments', ['show', 'FM99999999']),
      run('assessments', ['show', 'a1']),
    ]);
    assert.equal(ambiguous.code, 1);
    assert.match(ambiguous.stderr, /a1b2c3d4 is the start of 2 assessments; give more of the id or the FM SID/);
    assert.match(ambiguous.stderr, new RegExp(`${ROWS[0].id}\\s+${ROWS[0].sid}\\s+posted`));
    assert.match(ambiguous.stderr, new RegExp(`${ROWS[1].id}\\s+${ROWS[1].sid}\\s+posted`));
    assert.equal(none.code, 1);
    assert.match(none.stderr, /No assessment has an id or Flex SID that is or starts with FM99999999/);
    assert.equal(tooShort.code, 2);
    assert.match(tooShort.stderr, /at least 4 characters/);
  });
});

describe('npm run assessments -- list', () => {
  it('shows errors whole: wrapped within the width, or on one line with --wide', async () => {
    const [wrapped, wide] = await Promise.all([
      run('assessments', ['list', '--status', 'failed']),
      run('assessments', ['list', '--status', 'failed', '--wide']),
    ]);
    assert.equal(wrapped.code, 0, wrapped.stderr);
    for (const line of wrapped.stdout.split('\n')) assert.ok(line.length <= 160, `${line.length}: ${line}`);
    const words = (text: string) => text.split(/\s+/).filter(Boolean).join(' ');
    assert.ok(words(wrapped.stdout).includes(words(LONG_ERROR)), 'every word of the error, in order');
    assert.equal(wide.code, 0, wide.stderr);
    assert.ok(
      wide.stdout.split('\n').some((line) => line.startsWith(ROWS[2].id) && line.endsWith(LONG_ERROR)),
      'the error on its row’s line',
    );
  });

  it('--since takes a time ago or a date', async () => {
    const [lastHour, lastDay, sinceDate, bad] = await Promise.all([
      run('assessments', ['list', '--since', '1h']),
      run('assessments', ['list', '--since', '1d', '--wide']),
      run('assessments', ['list', '--since', '2000-01-01', '--wide']),
      run('assessments', ['list', '--since', 'yesterday']),
    ]);
    const ids = (out: string) => ROWS.filter((row) => out.includes(row.id)).map((row) => row.id.slice(-1));
    assert.deepEqual(ids(lastHour.stdout), ['1', '3']);
    assert.deepEqual(ids(lastDay.stdout), ['1', '2', '3']);
    assert.deepEqual(ids(sinceDate.stdout), ['1', '2', '3', '4']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--since must be a time ago such as 30m, 2h, 7d or 1w, or a date/);
  });
});

describe('npm run categories -- deactivate | remove', () => {
  it('deactivates one (kept, listed inactive) and removes another (gone); an unknown id is named', async () => {
    const [deactivated, removed, unknown] = await Promise.all([
      run('categories', ['deactivate', '--id', 'manual-1']),
      run('categories', ['remove', '--id', 'manual-2']),
      run('categories', ['remove', '--id', 'nope']),
    ]);
    assert.equal(deactivated.code, 0, deactivated.stderr);
    assert.match(deactivated.stdout, /^deactivated manual-1 Added by hand/);
    assert.equal(removed.code, 0, removed.stderr);
    assert.match(removed.stdout, /^removed manual-2 Also by hand/);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /No category has the id nope/);

    const list = await run('categories', ['list']);
    assert.match(list.stdout, /manual-1\s+Added by hand\s+manual\s+-\s+no/);
    assert.doesNotMatch(list.stdout, /manual-2/);
  });
});
