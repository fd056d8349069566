import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import dotenv from 'dotenv';
import { request } from 'undici';
import { SEGMENTS } from '../../sandbox/world.js';
import { type AppProcess, freePort, startAppProcess } from '../helpers/app-process.js';
import { eventually } from '../helpers/test-app.js';

const run = promisify(execFile);

/** `npm run sandbox` as a person starts it in a terminal: its own process group, so Ctrl-C reaches all of it. */
interface Sandbox {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

async function startSandbox(args: string[]): Promise<Sandbox> {
  const child = spawn('npm', ['run', 'sandbox', '--', ...args], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8');
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await eventually(() => {
    assert.equal(child.exitCode, null, `the sandbox exited early:\n${output}`);
    assert.match(output, /Sandbox ready/);
  }, 60_000);
  return { child, output: () => output, exited };
}

async function getJson(url: string): Promise<unknown> {
  const response = await request(url);
  assert.equal(response.statusCode, 200, url);
  return response.body.json();
}

describe('the sandbox, from outside the tests: npm run sandbox, the app, npm run sandbox:send', () => {
  const dir = mkdtempSync(join(tmpdir(), 'flex-qm-sandbox-'));
  const envFile = join(dir, '.env.sandbox');
  let sandbox: Sandbox | undefined;
  let app: AppProcess | undefined;
  let ports: { slack: number; flex: number; taskRouter: number };

  const send = async (...args: string[]) => {
    const { stdout } = await run(
      'npm',
      ['run', '-s', 'sandbox:send', '--', '--env-file', envFile, '--app', `${app?.baseUrl}/slack/events`, ...args],
      { timeout: 60_000 },
    );
    return stdout;
  };

  before(async () => {
    ports = { slack: await freePort(), flex: await freePort(), taskRouter: await freePort() };
    sandbox = await startSandbox([
      '--slack-port',
      String(ports.slack),
      '--flex-port',
      String(ports.flex),
      '--taskrouter-port',
      String(ports.taskRouter),
      '--env-file',
      envFile,
      '--database-url',
      `file:${join(dir, 'sandbox.db')}`,
    ]);
    app = await startAppProcess('app', dotenv.parse(readFileSync(envFile)));
  });

  after(async () => {
    await app?.stop();
    const child = sandbox?.child;
    if (child?.pid && child.exitCode === null && child.signalCode === null) process.kill(-child.pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints and writes settings that point the app at the fakes', () => {
    const env = dotenv.parse(readFileSync(envFile));
    assert.equal(env.SLACK_API_URL, `http://127.0.0.1:${ports.slack}/api/`);
    assert.equal(env.FLEX_API_BASE_URL, `http://127.0.0.1:${ports.flex}`);
    assert.equal(env.TASKROUTER_API_BASE_URL, `http://127.0.0.1:${ports.taskRouter}`);
    assert.match(env.TWILIO_ACCOUNT_SID ?? '', /^AC[0-9a-f]{32}$/);
    assert.match(sandbox?.output() ?? '', new RegExp(`SLACK_API_URL=http://127\\.0\\.0\\.1:${ports.slack}/api/`));
  });

  it('takes /qm, opens the modal with the call from Flex, and posts the submitted comment to Flex', async () => {
    const opened = await send('command', `${SEGMENTS.billing} 1:23`, '--wait', '1500');
    assert.match(opened, /← 200 \(acknowledged, empty body\)/);
    assert.match(opened, /views\.open view=qm_comment .* → ok V/);
    assert.match(opened, /Alex Agent\* \(Billing\)/, 'the modal shows the call as Flex describes it');

    const submitted = await send('submit', '--comment', 'Kind and clear, from the sandbox', '--category', 'Compliance');
    assert.match(submitted, /response_action=update/);

    const comments = await eventually(async () => {
      const held = (await getJson(`http://127.0.0.1:${ports.flex}/_sandbox/comments`)) as Array<{
        assessment_sid: string;
        segment_id: string;
        offset: string;
        comment: { comment: string; category: { name: string } };
      }>;
      assert.equal(held.length, 1);
      return held;
    }, 10_000);
    const [comment] = comments;
    assert.equal(comment?.comment.comment, 'Kind and clear, from the sandbox');
    assert.equal(comment?.comment.category.name, 'Compliance');
    assert.equal(comment?.segment_id, SEGMENTS.billing);
    assert.equal(comment?.offset, '83.0');

    // The reviewer's confirmation reached Slack through the command's response_url, naming the assessment.
    await eventually(async () => {
      const posts = (await getJson(`http://127.0.0.1:${ports.slack}/_sandbox/responses`)) as Array<{
        status: number;
        body: unknown;
      }>;
      const confirmation = posts.find((post) => JSON.stringify(post.body).includes(comment?.assessment_sid ?? '?'));
      assert.equal(confirmation?.status, 200, JSON.stringify(posts));
    }, 10_000);
    assert.match(
      sandbox?.output() ?? '',
      /flex +POST \/v1\/Insights\/QualityManagement\/Assessments\/Comments .* → 201/,
    );
  });

  it('shows the app’s replies whole, with dates as dates and buttons as buttons', async () => {
    const help = await send('command', 'help', '--wait', '0');
    assert.match(help, /← 200 with a reply only @rita sees:/);
    assert.match(help, /right-click it, \*Copy link\*\) to get the confirmation in that message's thread\./);
    const home = await send('event', 'app_home_opened', '--wait', '1500');
    assert.match(home, /^ {2}# Flex QM$/m);
    assert.match(
      home,
      /posted · \*Compliance\* · [A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:\d\d [AP]M UTC$/m,
      'the comment posted above, dated',
    );
    assert.doesNotMatch(home, /<!date\^/);
  });

  it('stops cleanly: the app on SIGTERM, the sandbox on Ctrl-C', async () => {
    assert.equal(await app?.stop(), 0);
    const pid = sandbox?.child.pid;
    assert.ok(pid, 'pid');
    process.kill(-pid, 'SIGINT');
    assert.equal(await sandbox?.exited, 0, sandbox?.output());
    assert.match(sandbox?.output() ?? '', /SIGINT: stopping the sandbox/);
  });
});
