// `npm run bench`: our app against a bare Bolt app, on loopback, with the test fakes as Slack and Flex.
// `npm run bench -- --quick` is the few-second smoke that CI runs so this script cannot rot.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { request } from 'undici';
import { applyMigrations } from '../src/db/migrate.js';
import { openDatabase } from '../src/db/prisma-client.js';
import { QuestionnaireRepository } from '../src/db/repositories/questionnaire-repository.js';
import { createFlexClient } from '../src/flex/flex-client.js';
import { scorecardCatalog } from '../test/fakes/flex/scorecard-catalog.js';
import { openCommentModals } from '../test/helpers/comment-modals.js';
import { createScratchPostgres, POSTGRES_SERVER_URL } from '../test/helpers/postgres.js';
import { seedDatabase } from '../test/helpers/seed-database.js';
import { slashCommandFields, viewSubmissionPayload } from '../test/helpers/slack-payloads.js';
import { SlackSender } from '../test/helpers/slack-requests.js';
import { fakeServiceEnv, startFakes } from '../test/helpers/start-fakes.js';
import { TEST_CATEGORY as CATEGORY, TEST_AGENT_ID, TEST_REVIEWER, TEST_WORLD as WORLD } from '../test/helpers/world.js';
import { drive, type LoadResult, merge, percentile } from './load.js';

const QUICK = process.argv.includes('--quick');
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? (QUICK ? 1 : 4));
/**
 * Seconds of load for each app at a rate. The targets are at 200/s; 50/s needs fewer; past what one
 * core can serve (1,000/s), 1 s (1,000 samples) shows the overload as well as more would.
 */
const secondsAt = (rate: number) =>
  rate >= 1000 ? Math.min(LATENCY_SECONDS, 1) : rate < 200 ? Math.min(LATENCY_SECONDS, 3) : LATENCY_SECONDS;
/** The view submission run: 200/s, 600 samples for each app. */
const SUBMIT_SECONDS = Math.min(LATENCY_SECONDS, 3);
/** Each acknowledgement run first sends this long uncounted, so its sender is warm (see `drive`). */
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 0.5);
const RATES = process.argv.includes('--e2e-only')
  ? []
  : process.env.BENCH_RATES
    ? process.env.BENCH_RATES.split(',').map(Number)
    : QUICK
      ? [50]
      : [50, 200, 1000];
const E2E_SECONDS = Number(
  process.env.BENCH_E2E_SECONDS ?? (QUICK ? (process.argv.includes('--profile') ? 8 : 2) : 30),
);
/** `--e2e-only` skips the acknowledgement runs, to profile or measure the end-to-end run alone. */
const E2E_ONLY = process.argv.includes('--e2e-only');
/** `--ack-only` runs the slash command acknowledgements alone (no submissions, no end to end). */
const ACK_ONLY = process.argv.includes('--ack-only');
/** How long after the load an end-to-end run still counts confirmations (those in flight as it stopped). */
const GRACE_SECONDS = Number(process.env.BENCH_GRACE_SECONDS ?? 3);
const E2E_RATE = Number(process.env.BENCH_E2E_RATE ?? (QUICK ? 50 : 400));
const FLEX_LATENCIES = process.env.BENCH_FLEX_LATENCY
  ? [Number(process.env.BENCH_FLEX_LATENCY)]
  : QUICK
    ? [0]
    : [0, 80];
const SECRET = WORLD.signingSecret;
const TEAM = WORLD.team.id;
const USER = TEST_REVIEWER.userId;
const clock = () => performance.timeOrigin + performance.now();
/** Says on stderr what the bench is doing now, with the time since it started, so a slow phase shows. */
const phase = (what: string) => process.stderr.write(`[bench ${(performance.now() / 1000).toFixed(1)} s] ${what}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** When each views.open reached the fake Slack, by trigger id, for `dispatchTimes`. */
const modalOpenedAt = new Map<string, number>();
/** The scoring form each /qm score opened, by trigger id, and how often each view was updated. */
const scoreViewOf = new Map<string, string>();
const viewsUpdated = new Map<string, number>();
const fakes = await startFakes(WORLD, {
  slackNow: clock,
  // All the fake keeps of a call. Kept whole, every view of the run stays in this process's memory, and
  // collecting it takes CPU from the app being measured on a 2-core machine.
  onSlackCall: (call) => {
    if (call.method === 'views.open') {
      modalOpenedAt.set(String(call.args.trigger_id), call.at);
      const viewId = (call.result.view as { id?: string } | undefined)?.id;
      if (viewId) scoreViewOf.set(String(call.args.trigger_id), viewId);
    }
    if (call.method === 'views.update')
      viewsUpdated.set(String(call.args.view_id), (viewsUpdated.get(String(call.args.view_id)) ?? 0) + 1);
  },
});
const { slack, flex } = fakes;

/** A scratch database on the PostgreSQL server, migrated and seeded like the SQLite one. */
async function createBenchPostgres(): Promise<{ url: string; drop(): Promise<void> }> {
  const scratch = await createScratchPostgres(process.env.BENCH_POSTGRES_URL ?? POSTGRES_SERVER_URL);
  await applyMigrations({ databaseUrl: scratch.url });
  await seedDatabaseAt(scratch.url);
  return scratch;
}

async function seedDatabaseAt(database: string): Promise<void> {
  const seed = await openDatabase(database);
  await seedDatabase(seed, WORLD);
  await seed.$disconnect();
}

const dir = mkdtempSync(join(tmpdir(), 'flex-qm-bench-'));
const databaseUrl = `file:${join(dir, 'bench.db')}`;
await applyMigrations({ databaseUrl });
await seedDatabaseAt(databaseUrl);

phase('building the app (bare Bolt starts meanwhile)');
const built = process.argv.includes('--no-build')
  ? Promise.resolve()
  : new Promise<void>((resolve, reject) => {
      const build = spawn('npm', ['run', '-s', 'build'], { stdio: 'inherit' });
      build.once('error', reject);
      build.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`npm run build exited with ${code}`))));
    });

const children: ChildProcess[] = [];
const env = (port: number, database = databaseUrl) => ({
  PATH: process.env.PATH ?? '',
  ...fakeServiceEnv(WORLD, fakes),
  PORT: String(port),
  DATABASE_URL: database,
  LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'error',
  ...START_ENV,
});

async function startApp(
  args: string[],
  port: number,
  database = databaseUrl,
): Promise<{ child: ChildProcess; startupMs: number }> {
  const started = clock();
  const child = spawn(process.execPath, args, { env: env(port, database), stdio: ['ignore', 'inherit', 'inherit'] });
  children.push(child);
  for (;;) {
    try {
      const response = await request(`http://127.0.0.1:${port}/healthz`);
      await response.body.text();
      if (response.statusCode === 200) return { child, startupMs: clock() - started };
    } catch {
      // not listening yet
    }
    if (clock() - started > 30_000) throw new Error(`${args.join(' ')} did not become healthy`);
    await sleep(10);
  }
}

/** CPU time (user + system) a process has used so far, in ms; Linux clock ticks are 10 ms. */
function cpuMs(pid: number | undefined): number {
  const stat = readFileSync(`/proc/${pid ?? 'self'}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function rssMb(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

const PROFILE = process.argv.includes('--profile');
/** Node's flags from `npm start`, so the app is measured as it is run (BENCH_START_FLAGS overrides, to compare). */
function startScript(): string {
  return (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start;
}
const START_FLAGS = (process.env.BENCH_START_FLAGS ?? startScript()).split(' ').filter((word) => word.startsWith('--'));
/** Environment settings the start script gives Node (`NAME=value` before `node`), or BENCH_START_ENV's. */
const START_ENV: Record<string, string> = Object.fromEntries(
  (process.env.BENCH_START_ENV ?? startScript().split(' node ')[0] ?? '')
    .split(' ')
    .map((word) => /^([A-Z_][A-Z0-9_]*)=(\S*)$/.exec(word))
    .filter((match) => match !== null)
    .map((match) => [match[1], match[2]]),
);
const appArgs = (profile: boolean) => [
  ...START_FLAGS,
  ...(profile ? ['--cpu-prof', '--cpu-prof-dir=bench/profiles'] : []),
  // Extra Node flags for our app only, e.g. BENCH_APP_NODE_ARGS='--heapsnapshot-signal=SIGUSR2'.
  ...(process.env.BENCH_APP_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
  // BENCH_APP_ENTRY runs another build of the app (e.g. an older commit's) under the same harness.
  process.env.BENCH_APP_ENTRY ?? 'dist/src/main.js',
];
const bareBolt = await startApp(['--import', 'tsx', 'bench/bare-bolt-app.ts'], 3202);
await built;
phase('starting our app');
const ours = await startApp(appArgs(PROFILE), 3201);
const oursRssAfterStart = rssMb(ours.child);

function slashBody(): string {
  const triggerId = slack.issueTriggerId();
  return new URLSearchParams(
    slashCommandFields({
      command: '/qm',
      text: '',
      userId: USER,
      teamId: TEAM,
      channelId: 'C0QA00001',
      triggerId,
      responseUrl: slack.newResponseUrl(),
    }),
  ).toString();
}

/**
 * Time from each /qm request's arrival to its views.open reaching the fake Slack API (on loopback, a
 * request arrives as it is sent): every request of the run is a sample, matched by its trigger id.
 */
async function dispatchTimes(sentAt: Map<string, number>): Promise<number[]> {
  const opened = () => [...sentAt].filter(([triggerId]) => modalOpenedAt.has(triggerId));
  // The last modals of a run open just after their acks; give them the 3 s a trigger lives.
  const deadline = clock() + 3_000;
  while (opened().length < sentAt.size && clock() < deadline) await sleep(20);
  return opened().map(([triggerId, dueAt]) => (modalOpenedAt.get(triggerId) ?? dueAt) - dueAt);
}

/** Records when each /qm request was due, by trigger id, for `dispatchTimes`. */
function recordSends(sentAt: Map<string, number>): (body: string, dueAt: number) => void {
  return (body, dueAt) => sentAt.set(new URLSearchParams(body).get('trigger_id') ?? '', dueAt);
}

const lines: string[] = [];
const row = (...cells: Array<string | number>) =>
  lines.push(`| ${cells.map((c) => (typeof c === 'number' ? c.toFixed(c >= 100 ? 0 : 1) : c)).join(' | ')} |`);

// 1 and 2: slash command acknowledgements, and views.open dispatch.
if (RATES.length > 0) {
  lines.push(
    '| slash command ack | rate (req/s) | ours p50 / p99 (ms) | bare Bolt p50 / p99 (ms) | p99 ratio | views.open dispatched after p50 / p99 (ms) | CPU per command, ours / bare Bolt (ms) | errors |',
  );
  lines.push('| --- | --- | --- | --- | --- | --- | --- | --- |');
}
// Both apps get the same warm-up, so neither is measured while its JIT is cold.
for (const port of E2E_ONLY ? [] : [3201, 3202]) {
  await drive({
    url: `http://127.0.0.1:${port}/slack/events`,
    signingSecret: SECRET,
    rate: 100,
    durationSeconds: 1,
    nextBody: slashBody,
  });
}
/**
 * Ours and bare Bolt take turns, ours, bare, bare, ours (BENCH_ROUNDS turns each, default 2), so that a
 * machine whose speed drifts during the run (a shared 2-core VM's does) weighs on both alike; each
 * app's samples are pooled over its turns. The overload rate is one turn each: its backlog would
 * spill into the other app's turn.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (QUICK ? 1 : 2));
const oursTurn = (turn: number) => turn % 4 === 0 || turn % 4 === 3;
for (const rate of RATES) {
  phase(`/qm at ${rate}/s`);
  let sent = 0;
  const turns = rate >= 1000 ? 2 : 2 * ROUNDS;
  const seconds = (secondsAt(rate) * 2) / turns;
  const mine: LoadResult[] = [];
  const bare: LoadResult[] = [];
  let dispatch: number[] = [];
  const cpu = { ours: 0, bare: 0 };
  /** One turn of /qm at `rate` against the app on `port`. */
  const slashTurn = (port: number, onSend?: (body: string, dueAt: number) => void) =>
    drive({
      url: `http://127.0.0.1:${port}/slack/events`,
      signingSecret: SECRET,
      rate,
      durationSeconds: seconds,
      warmupSeconds: WARMUP_SECONDS,
      nextBody: slashBody,
      ...(onSend ? { onSend } : {}),
    });
  for (let turn = 0; turn < turns; turn += 1) {
    if (oursTurn(turn)) {
      const thisTurn = new Map<string, number>();
      const cpuBefore = cpuMs(ours.child.pid);
      mine.push(await slashTurn(3201, recordSends(thisTurn)));
      // The next turn starts once ours has opened this turn's last modal, so neither overlaps the other.
      dispatch = dispatch.concat(await dispatchTimes(thisTurn));
      sent += thisTurn.size;
      cpu.ours += cpuMs(ours.child.pid) - cpuBefore;
    } else {
      const cpuBefore = cpuMs(bareBolt.child.pid);
      bare.push(await slashTurn(3202));
      cpu.bare += cpuMs(bareBolt.child.pid) - cpuBefore;
    }
  }
  const ourAcks = merge(mine);
  const bareAcks = merge(bare);
  row(
    '/qm',
    rate,
    `${ourAcks.p50} / ${ourAcks.p99}`,
    `${bareAcks.p50} / ${bareAcks.p99}`,
    (ourAcks.p99 / Math.max(bareAcks.p99, 0.1)).toFixed(2),
    `${percentile(dispatch, 50).toFixed(1)} / ${percentile(dispatch, 99).toFixed(1)} (${dispatch.length} of ${sent})`,
    // The warm-up's requests cost CPU too, so they count here.
    `${(cpu.ours / Math.max(ourAcks.ok + ourAcks.warmup, 1)).toFixed(2)} / ${(cpu.bare / Math.max(bareAcks.ok + bareAcks.warmup, 1)).toFixed(2)}`,
    ourAcks.errors + ourAcks.non2xx + bareAcks.errors + bareAcks.non2xx,
  );
}

/** Modals as Slack would hold them after /qm <call>: each submission needs its own view. */
const openViews = (count: number) => openCommentModals(slack, WORLD, count, env(0));

function submissionBodies(views: Array<{ view: Record<string, unknown> }>): () => string {
  let next = 0;
  return () => {
    const entry = views[next % views.length];
    next += 1;
    const payload = viewSubmissionPayload({
      view: entry?.view ?? {},
      values: { category: CATEGORY.id, comment: `Bench comment ${next} & more` },
      user: { id: USER, name: 'rita', teamId: TEAM },
      team: { id: TEAM, domain: WORLD.team.domain },
    });
    return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  };
}

if (!E2E_ONLY && !ACK_ONLY) {
  // 3: view submission acknowledgements.
  const submitRate = QUICK ? 50 : 200;
  phase(`view submissions at ${submitRate}/s`);
  const submitViews = await openViews(submitRate * (SUBMIT_SECONDS + WARMUP_SECONDS) + 50);
  /** The same submissions, from the first view on, to the app on `port`. */
  const submitRun = (port: number) =>
    drive({
      url: `http://127.0.0.1:${port}/slack/events`,
      signingSecret: SECRET,
      rate: submitRate,
      durationSeconds: SUBMIT_SECONDS,
      warmupSeconds: WARMUP_SECONDS,
      nextBody: submissionBodies(submitViews),
    });
  const submitted = await submitRun(3201);
  const bareSubmitted = await submitRun(3202);
  lines.push('');
  lines.push('| view submission ack | rate (req/s) | ours p50 / p99 (ms) | bare Bolt p50 / p99 (ms) | errors |');
  lines.push('| --- | --- | --- | --- | --- |');
  row(
    'qm_comment',
    submitRate,
    `${submitted.p50} / ${submitted.p99}`,
    `${bareSubmitted.p50} / ${bareSubmitted.p99}`,
    submitted.errors + submitted.non2xx,
  );
}

// 4: end to end, until Flex holds the comment and the reviewer has the confirmation.
if (!ACK_ONLY) {
  lines.push('');
  lines.push(
    '| end to end | database | Flex latency | offered (req/s) | completed / acked in time | sustained (submissions/s) | last counted after (s) | left unfinished | submission ack p50 / p99 (ms) | not answered within 3 s | our CPU per submission (ms) | load generator + fakes CPU | RSS after start / after the run |',
  );
  lines.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
}

/** Stops an instance and waits for it to exit (on SIGTERM it first finishes the Flex calls under way). */
async function stopApp(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

/** Empties the assessments table, so each end-to-end run starts from the same database. */
async function clearAssessments(database: string): Promise<void> {
  const prisma = await openDatabase(database);
  await prisma.assessment.deleteMany();
  await prisma.$disconnect();
}

interface Memory {
  startupMs: number;
  afterStart: number;
  afterRun: number;
}
const memory = new Map<string, Memory>();

/**
 * Submissions at E2E_RATE for E2E_SECONDS to a fresh instance of our app on `database`, counting each
 * once Flex holds its comment and the reviewer has the confirmation. What is still unfinished
 * GRACE_SECONDS after the load stops is reported as left over, not waited for: the instance is then
 * stopped, so an app that falls behind neither stretches the bench nor slows the next run.
 */
async function endToEnd(label: string, database: string, port: number, latency: number): Promise<void> {
  flex.setLatency(latency);
  phase(`end to end on ${label}, Flex at ${latency} ms: starting a fresh instance and opening modals`);
  await clearAssessments(database);
  const app = await startApp(appArgs(false), port, database);
  const afterStart = rssMb(app.child);
  const views = await openViews(E2E_RATE * E2E_SECONDS + 100);
  const commentsBefore = flex.commentsCreated();
  const confirmationsBefore = slack.responsesAccepted();
  const completed = () =>
    Math.min(flex.commentsCreated() - commentsBefore, slack.responsesAccepted() - confirmationsBefore);
  const cpuBefore = { ours: cpuMs(app.child.pid), bench: cpuMs(process.pid) };
  phase(`end to end on ${label}, Flex at ${latency} ms: ${E2E_RATE}/s for ${E2E_SECONDS} s`);
  const started = clock();
  const load = await drive({
    url: `http://127.0.0.1:${port}/slack/events`,
    signingSecret: SECRET,
    rate: E2E_RATE,
    durationSeconds: E2E_SECONDS,
    nextBody: submissionBodies(views),
  });
  const accepted = load.ok;
  let finished = clock();
  let done = completed();
  while (done < accepted && clock() - started < (E2E_SECONDS + GRACE_SECONDS) * 1000) {
    await sleep(20);
    const now = completed();
    if (now > done) finished = clock();
    done = now;
  }
  const cpu = { ours: cpuMs(app.child.pid) - cpuBefore.ours, bench: cpuMs(process.pid) - cpuBefore.bench };
  const afterRun = rssMb(app.child);
  const seconds = (finished - started) / 1000;
  // Measured, so stopped at once: a graceful stop would spend up to 10 s on the backlog of an app that fell behind.
  // A profiled instance (BENCH_APP_NODE_ARGS=--cpu-prof) is stopped gracefully, as Node writes the profile on exit.
  await stopApp(app.child, process.env.BENCH_APP_NODE_ARGS?.includes('--cpu-prof') ? 'SIGTERM' : 'SIGKILL');
  const known = memory.get(label);
  memory.set(label, {
    startupMs: Math.max(known?.startupMs ?? 0, app.startupMs),
    afterStart: Math.max(known?.afterStart ?? 0, afterStart),
    afterRun: Math.max(known?.afterRun ?? 0, afterRun),
  });
  row(
    'submission → Flex → confirmation',
    label,
    `${latency} ms`,
    E2E_RATE,
    `${done} / ${accepted}`,
    done / seconds,
    seconds,
    Math.max(0, accepted - done),
    `${load.p50} / ${load.p99}`,
    load.errors + load.non2xx,
    (cpu.ours / Math.max(done, 1)).toFixed(2),
    `${((cpu.bench / 10 / seconds) | 0).toString()} %`,
    `${afterStart.toFixed(0)} / ${afterRun.toFixed(0)} MB`,
  );
}

/** Scorecards scored one after another, each of SCORECARD_QUESTIONS answers (issue #17's bench row). */
const SCORECARDS = Number(process.env.BENCH_SCORECARDS ?? (QUICK ? 3 : 20));
const SCORECARD_QUESTIONS = 20;

/**
 * `/qm score` end to end on a fresh instance: the form opens, the reviewer picks the questionnaire and
 * answers its 20 questions in one step, and each scorecard counts from its last submission until Flex
 * holds all 20 answers and the reviewer has the score (the private message). One at a time, as a
 * reviewer scores; our CPU is per scorecard, the form's three requests included.
 */
async function scorecardsEndToEnd(label: string, database: string, port: number): Promise<void> {
  phase(`scorecards on ${label}: ${SCORECARDS} of ${SCORECARD_QUESTIONS} questions`);
  flex.setLatency(0);
  flex.setScorecardCatalog(scorecardCatalog([{ name: 'Bench', questions: SCORECARD_QUESTIONS, number: 1 }]));
  const prisma = await openDatabase(database);
  const client = createFlexClient({
    baseUrl: flex.baseUrl,
    credentials: { username: flex.accountSid, password: flex.authToken },
    timeoutMs: 5_000,
  });
  await prisma.scorecard.deleteMany();
  await new QuestionnaireRepository(prisma).syncFromFlex(
    await client.listQuestionnaires({ includeInactive: true }),
    await client.fetchAnswerSets(),
    null,
  );
  await client.close();
  await prisma.$disconnect();
  const app = await startApp(appArgs(false), port, database);
  const sender = new SlackSender({ url: `http://127.0.0.1:${port}/slack/events`, signingSecret: SECRET });
  const user = { id: USER, name: 'rita', teamId: TEAM };
  const team = { id: TEAM, domain: WORLD.team.domain };
  const waitFor = async (what: string, done: () => boolean) => {
    const deadline = clock() + 30_000;
    while (!done()) {
      if (clock() > deadline) throw new Error(`bench: no ${what} within 30 s`);
      await sleep(2);
    }
  };
  const times: number[] = [];
  const cpuBefore = cpuMs(app.child.pid);
  for (let i = 0; i < SCORECARDS; i += 1) {
    // Each scorecard on its own call, so none is a re-score.
    const segmentId = `5c0e${i.toString(16).padStart(4, '0')}-0000-4000-8000-000000000000`;
    flex.addSegment({
      segment_id: segmentId,
      agent_id: TEST_AGENT_ID,
      agent_name: 'Alex Agent',
      queue: 'Support',
    });
    const triggerId = slack.issueTriggerId();
    const responseUrl = slack.newResponseUrl();
    await sender.slashCommand(
      slashCommandFields({
        command: '/qm',
        text: `score ${segmentId}`,
        userId: USER,
        teamId: TEAM,
        channelId: 'C0QA00001',
        triggerId,
        responseUrl,
      }),
    );
    await waitFor('scoring form', () => (viewsUpdated.get(scoreViewOf.get(triggerId) ?? '') ?? 0) >= 1);
    const viewId = scoreViewOf.get(triggerId) ?? '';
    const chosen = await sender.interaction(
      viewSubmissionPayload({ view: slack.currentView(viewId), values: {}, user, team }),
    );
    const step = (chosen.json as { view: Record<string, unknown> }).view;
    const values: Record<string, string> = {};
    for (let q = 0; q < SCORECARD_QUESTIONS; q += 1) values[`q${q}`] = '0';
    const answersBefore = flex.scorecards.answers.length;
    const confirmationsBefore = slack.responsesAccepted();
    const submittedAt = clock();
    await sender.interaction(
      viewSubmissionPayload({ view: { ...step, id: viewId, hash: `bench-${i}` }, values, user, team }),
    );
    await waitFor(
      'scorecard in Flex and confirmed',
      () =>
        flex.scorecards.answers.length - answersBefore >= SCORECARD_QUESTIONS &&
        slack.responsesAccepted() > confirmationsBefore,
    );
    times.push(clock() - submittedAt);
  }
  const cpu = cpuMs(app.child.pid) - cpuBefore;
  await stopApp(app.child);
  row(
    `${SCORECARD_QUESTIONS}-question scorecard: submit → all answers in Flex → reviewer has the score`,
    label,
    String(SCORECARDS),
    `${percentile(times, 50).toFixed(0)} / ${Math.max(...times).toFixed(0)}`,
    (cpu / SCORECARDS).toFixed(0),
  );
}

const oursRssAfterAcks = rssMb(ours.child);
await stopApp(ours.child);
if (!ACK_ONLY) for (const latency of FLEX_LATENCIES) await endToEnd('SQLite', databaseUrl, 3203, latency);

// The same on PostgreSQL: a scratch database of the local server (BENCH_POSTGRES_URL).
const postgres = ACK_ONLY
  ? undefined
  : await createBenchPostgres().catch((error: unknown) => {
      row('submission → Flex → confirmation', 'PostgreSQL', '-', '-', 'not measured', String(error));
      return undefined;
    });
if (postgres) for (const latency of FLEX_LATENCIES) await endToEnd('PostgreSQL', postgres.url, 3204, latency);
if (!ACK_ONLY) {
  lines.push('');
  lines.push('| scorecards | database | scorecards | ms p50 / max | our CPU ms per scorecard |');
  lines.push('| --- | --- | --- | --- | --- |');
  // 0 skips it (an older build without scorecards, under BENCH_APP_ENTRY).
  if (SCORECARDS > 0) await scorecardsEndToEnd('SQLite', databaseUrl, 3205);
}

lines.push('');
lines.push(
  '| our app | start-up to healthy /healthz | RSS after start | RSS after the slash command and submission runs | RSS after a 30 s end-to-end run (largest) |',
);
lines.push('| --- | --- | --- | --- | --- |');
const command = `${Object.entries(START_ENV)
  .map(([name, value]) => `${name}=${value} `)
  .join('')}node ${START_FLAGS.join(' ')} dist/src/main.js`;
row(
  `${command} (SQLite)`,
  `${ours.startupMs.toFixed(0)} ms`,
  `${oursRssAfterStart.toFixed(0)} MB`,
  `${oursRssAfterAcks.toFixed(0)} MB`,
  memory.has('SQLite') ? `${memory.get('SQLite')?.afterRun.toFixed(0)} MB` : '-',
);
const onPostgres = memory.get('PostgreSQL');
if (onPostgres) {
  row(
    'the same on PostgreSQL',
    `${onPostgres.startupMs.toFixed(0)} ms`,
    `${onPostgres.afterStart.toFixed(0)} MB`,
    '-',
    `${onPostgres.afterRun.toFixed(0)} MB`,
  );
}

phase('done');
const header = [
  `# Benchmark results${QUICK ? ' (quick smoke)' : ''}`,
  '',
  `${new Date().toISOString()} · ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}) · ${(totalmem() / 2 ** 30).toFixed(0)} GiB · Node ${process.version} · \`npm run bench${QUICK ? ' -- --quick' : ''}\``,
  '',
  `Everything on loopback: the fake Slack Web API and fake Flex API from test/fakes, our app as \`npm start\` runs it (one instance on SQLite for the slash command and submission runs, then a fresh instance for each end-to-end run, on SQLite and on a scratch PostgreSQL database), and a bare Bolt app with the same receiver that only acks (bench/bare-bolt-app.ts). Load at a fixed rate, evenly spaced and open loop (bench/load.ts on undici), requests signed as Slack signs them; each latency runs from when its request was due, so nothing that falls behind is hidden. At each slash command rate below 1,000/s the two apps take turns (ours, bare Bolt, bare Bolt, ours) and each one's samples are pooled, so a machine whose speed drifts weighs on both alike. Each acknowledgement run (a turn, or a view submission run) begins with ${WARMUP_SECONDS} s of the same requests that are not counted, so the load generator's connections and code are warm, as Slack's are; CPU per command counts them.`,
  '',
];
const report = [...header, ...lines, ''].join('\n');
console.log(report);
// Only a full run with the defaults replaces bench/results.md; targeted runs (knobs, --profile) only print.
const fullRun =
  !QUICK && !E2E_ONLY && !ACK_ONLY && !PROFILE && !Object.keys(process.env).some((name) => name.startsWith('BENCH_'));
if (fullRun) writeFileSync('bench/results.md', report);
else if (!QUICK) console.log('(a targeted run: bench/results.md is left as it was)');

for (const child of children) child.kill('SIGTERM');
// Instances stopped after their runs have already exited.
const running = children.filter((child) => child.exitCode === null && child.signalCode === null);
await Promise.all(running.map((child) => new Promise((resolve) => child.once('exit', resolve))));
await fakes.close();
rmSync(dir, { recursive: true, force: true });
await postgres?.drop();
