import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FakeFlexApi } from '../fakes/fake-flex-api.js';
import { fixedSid, scorecardCatalog } from '../fakes/flex/scorecard-catalog.js';
import { runCli, runCliProcess } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'flex-qm-questionnaires-cli-'));
const databaseUrl = `file:${join(dir, 'cli.db')}`;

/** Runs `npm run questionnaires -- …` as a deployer would, in a clean environment (in this process). */
function run(args: string[], env: Record<string, string> = {}) {
  return runCli('questionnaires', args, { env: { DATABASE_URL: databaseUrl, ...env } });
}

/** The same, as its own process: for its exit code and output streams. */
function runProcess(args: string[], env: Record<string, string> = {}) {
  return runCliProcess('questionnaires', args, { env: { DATABASE_URL: databaseUrl, ...env } });
}

describe('npm run questionnaires', () => {
  let flex: FakeFlexApi;
  // Two pages of questionnaires, so the sync follows Twilio's paging.
  before(async () => {
    flex = await FakeFlexApi.start({ maxPageSize: 1 });
  });
  after(async () => {
    await flex.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const flexEnv = () => ({
    FLEX_API_BASE_URL: flex.baseUrl,
    TWILIO_ACCOUNT_SID: flex.accountSid,
    TWILIO_AUTH_TOKEN: flex.authToken,
  });

  it('syncs questionnaires across pages, lists them, sets the default, and deactivates what Flex dropped', async () => {
    flex.setScorecardCatalog(
      scorecardCatalog([
        { name: 'Customer Experience', questions: 30, number: 1 },
        { name: 'Old Audit 2024', questions: 4, number: 2, active: false },
      ]),
    );
    const first = await run(['sync'], flexEnv());
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /added 2, updated 0, deactivated 0, unchanged 0/);
    assert.ok(
      flex.requests.some((r) => r.query.has('PageToken')),
      'the next page was followed',
    );

    const set = await run(['set-default', '--sid', fixedSid('GM', 1)]);
    assert.equal(set.code, 0, set.stderr);
    const list = await run(['list']);
    assert.match(list.stdout, new RegExp(`${fixedSid('GM', 1)}\\s+Customer Experience\\s+30\\s+yes\\s+yes`));
    assert.match(list.stdout, new RegExp(`${fixedSid('GM', 2)}\\s+Old Audit 2024\\s+4\\s+-\\s+no`));

    flex.setScorecardCatalog(scorecardCatalog([{ name: 'Old Audit 2024', questions: 4, number: 2, active: false }]));
    const second = await run(['sync'], flexEnv());
    assert.match(second.stdout, /added 0, updated 0, deactivated 1, unchanged 1/);
  });

  it('says what went wrong: refused credentials, a bad SID, an unknown command', async () => {
    const refused = await run(['sync'], { ...flexEnv(), TWILIO_AUTH_TOKEN: 'wrong' });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /Flex refused the app's credentials \(Twilio error 20003/);
    const bad = await run(['set-default', '--sid', 'nope']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /set-default needs --sid GM/);
    const unknown = await runProcess(['frobnicate']);
    assert.equal(unknown.code, 2, 'the process exits 2');
  });
});
