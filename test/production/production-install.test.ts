import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, realpathSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { request } from 'undici';
import { openDatabase } from '../../src/db/prisma-client.js';
import { freePort } from '../helpers/app-process.js';
import { type Fakes, fakeServiceEnv, startFakes } from '../helpers/start-fakes.js';
import { TEST_WORLD } from '../helpers/world.js';

const run = promisify(execFile);

/**
 * The app as a production install has it: built with the dev dependencies, which are then dropped
 * (`npm ci && npm run build && npm prune --omit=dev --omit=optional`). The copy's node_modules is made of
 * hard links to the installed one (cp -al) and pruned, so nothing is downloaded or compiled again
 * (better-sqlite3's native module is linked, not rebuilt); npm rewrites only its own
 * node_modules/.package-lock.json, which is copied rather than linked first.
 */
describe('a production install (no dev dependencies)', () => {
  let dir: string;
  let fakes: Fakes;
  let env: Record<string, string>;
  const timings: string[] = [];

  const timed = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await work();
    timings.push(`${what}: ${Math.round(performance.now() - started)} ms`);
    return result;
  };
  const npm = (args: string[], extra: Record<string, string> = {}) =>
    run('npm', args, { cwd: dir, env: { ...env, ...extra }, timeout: 300_000, maxBuffer: 8 * 1024 * 1024 });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flex-qm-production-'));
    fakes = await startFakes(TEST_WORLD);
    env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dir,
      npm_config_update_notifier: 'false',
      npm_config_fund: 'false',
      npm_config_audit: 'false',
      ...fakeServiceEnv(TEST_WORLD, fakes),
      DATABASE_URL: 'file:./data/flex-qm.db',
    };
    await timed('copy of the tree, node_modules hard-linked', async () => {
      for (const entry of [
        'package.json',
        'package-lock.json',
        'tsconfig.json',
        'tsconfig.build.json',
        'prisma',
        'scripts',
        'src',
      ]) {
        cpSync(entry, join(dir, entry), { recursive: true });
      }
      await run('cp', ['-al', realpathSync('node_modules'), join(dir, 'node_modules')]);
      const hidden = join(dir, 'node_modules', '.package-lock.json');
      if (existsSync(hidden)) {
        unlinkSync(hidden);
        copyFileSync(join(realpathSync('node_modules'), '.package-lock.json'), hidden);
      }
    });
    // The type check is `npm run typecheck`'s job; --noCheck emits the same JavaScript in a fraction of the time.
    await timed('npm run build -- --noCheck', () => npm(['run', 'build', '--', '--noCheck']));
    const pruned = await timed('npm prune --omit=dev --omit=optional', () =>
      npm(['prune', '--omit=dev', '--omit=optional', '--ignore-scripts']),
    );
    assert.doesNotMatch(
      pruned.stderr,
      /EBADENGINE/,
      'no package of the production install warns about the Node version',
    );
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await fakes.close();
    // What each step cost on this machine, for whoever weighs this test's time.
    console.log(`# production install: ${timings.join('; ')}`);
  });

  it('has no dev tools: no tsx, no TypeScript, no Prisma CLI', () => {
    for (const name of ['tsx', 'typescript', 'prisma', '@prisma/streams-local', '@biomejs/biome']) {
      assert.ok(!existsSync(join(dir, 'node_modules', name)), `${name} is not installed`);
    }
  });

  it('runs every admin command from the compiled output, and creates the database readable by its user alone', async () => {
    const migrated = await timed('npm run db:migrate', () => npm(['run', '--silent', 'db:migrate']));
    assert.match(migrated.stdout, /Applied migrations: \d+_init/);
    assert.equal((statSync(join(dir, 'data', 'flex-qm.db')).mode & 0o777).toString(8), '600');
    const [identities, categories, assessments, questionnaires] = await timed(
      'identities, categories, assessments and questionnaires list',
      () =>
        Promise.all([
          npm(['run', '--silent', 'identities', '--', 'list']),
          npm(['run', '--silent', 'categories', '--', 'list']),
          npm(['run', '--silent', 'assessments', '--', 'list']),
          npm(['run', '--silent', 'questionnaires', '--', 'list']),
        ]),
    );
    assert.match(identities.stdout, /No identities yet/);
    assert.match(categories.stdout, /No categories yet/);
    assert.match(assessments.stdout, /No assessments/);
    assert.match(questionnaires.stdout, /No questionnaires yet/);
    const unknown = '00000000-0000-4000-8000-000000000000';
    await assert.rejects(
      npm(['run', '--silent', 'scorecards', '--', 'show', unknown]),
      (error: { stderr?: string }) => {
        assert.match(error.stderr ?? '', new RegExp(`No scorecard has the id ${unknown}`));
        return true;
      },
    );
    const added = await npm(['run', '--silent', 'categories', '--', 'add', '--id', 'c1', '--name', 'Greeting']);
    assert.match(added.stdout, /added c1 Greeting/);
  });

  it("previews the weekly digest and renders its chart (Vega, resvg's WebAssembly, DejaVu fonts, its thread)", async () => {
    const prisma = await openDatabase(`file:${join(dir, 'data', 'flex-qm.db')}`);
    try {
      const reviewer = await prisma.identity.create({ data: { email: 'r@example.com', flexUserName: 'Rita' } });
      await prisma.assessment.create({
        data: {
          submissionKey: 'V1',
          reviewerId: reviewer.id,
          categoryId: 'c1',
          categoryName: 'Greeting',
          comment: 'Kind',
          segmentId: 's1',
          agentId: 'a1',
          offsetSeconds: 0,
          status: 'posted',
          postedAt: new Date('2026-12-06T10:00:00Z'),
          slackTeamId: 'T0TEST001',
          slackUserId: 'U0REVIEW1',
          source: 'slash_command',
        },
      });
    } finally {
      await prisma.$disconnect();
    }
    const preview = await timed('npm run digest -- preview, with the chart', () =>
      npm(
        ['run', '--silent', 'digest', '--', 'preview', '--period-end', '2026-12-07T09:00:00Z', '--chart', 'week.png'],
        {
          DIGEST_CHANNEL: 'C0WEEK001',
        },
      ),
    );
    assert.match(preview.stdout, /Greeting: 1/);
    assert.match(preview.stdout, /chart: \d+×\d+ PNG/);
    assert.ok(statSync(join(dir, 'week.png')).size > 1_000, "statSync(join(dir, 'week.png')).size > 1_000");
  });

  it('npm start does not compile, and serves a healthy /readyz', async () => {
    const port = await freePort();
    const started = performance.now();
    const child: ChildProcess = spawn('npm', ['start'], {
      cwd: dir,
      env: { ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 60_000;
      let body: { status?: string; database?: string } = {};
      for (;;) {
        assert.equal(child.exitCode, null, `npm start exited:\n${output}`);
        try {
          const response = await request(`http://127.0.0.1:${port}/readyz`);
          body = (await response.body.json()) as typeof body;
          if (response.statusCode === 200) break;
        } catch {
          // not listening yet
        }
        assert.ok(Date.now() < deadline, `no healthy /readyz within 60 s:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      timings.push(`npm start to a healthy /readyz: ${Math.round(performance.now() - started)} ms`);
      assert.deepEqual([body.status, body.database], ['ok', 'up']);
      assert.doesNotMatch(output, /prestart|> tsc/, 'nothing is compiled at start');
    } finally {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
      await exited;
    }
  });
});
