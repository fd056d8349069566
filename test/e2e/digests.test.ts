import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PNG } from 'pngjs';
import { createQmApp, type QmApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import { openDatabase } from '../../src/db/prisma-client.js';
import { createFlexClient, type FlexClient } from '../../src/flex/flex-client.js';
import type { PrismaClient } from '../../src/generated/prisma/client.js';
import type { PostedMessage } from '../fakes/fake-slack-api.js';
import { addDigestPeople, BILLING_CHANNEL, cronDueNow, DIGEST_CHANNEL, seedWeek } from '../helpers/digest-world.js';
import { seedDatabase } from '../helpers/seed-database.js';
import { type Fakes, fakeServiceEnv, startFakes } from '../helpers/start-fakes.js';
import { createTestDatabase, eventually } from '../helpers/test-app.js';
import { TEST_WORLD } from '../helpers/world.js';

interface Instance {
  app: QmApp;
  prisma: PrismaClient;
  flex: FlexClient;
}

/** Several instances of the app on one database, as a deployment behind a load balancer runs them. */
async function startInstances(count: number, fakes: Fakes, databaseUrl: string, env: Record<string, string>) {
  const instances: Instance[] = [];
  for (let i = 0; i < count; i += 1) {
    const prisma = await openDatabase(databaseUrl);
    const config = loadConfig({
      ...fakeServiceEnv(TEST_WORLD, fakes),
      PORT: '0',
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'error',
      ...env,
    });
    const flex = createFlexClient({
      baseUrl: config.flex.baseUrl,
      credentials: { username: config.flex.username, password: config.flex.password },
      timeoutMs: 5_000,
    });
    const app = createQmApp({ config, prisma, flex, slackRetries: 0, deliveryPollIntervalMs: 200 });
    instances.push({ app, prisma, flex });
  }
  // Started together, so they race for every digest.
  await Promise.all(instances.map((instance) => instance.app.start()));
  return instances;
}

async function stopInstances(instances: Instance[]) {
  for (const instance of instances) {
    await instance.app.stop(2_000);
    await instance.flex.close();
    await instance.prisma.$disconnect();
  }
}

const headerOf = (message: PostedMessage) =>
  ((message.blocks as Array<{ type: string; text?: { text: string } }> | undefined) ?? []).find(
    (b) => b.type === 'header',
  )?.text?.text;

/** A PNG as Slack received it: its size and whether it shows anything. */
function inspectPng(bytes: Buffer) {
  const png = PNG.sync.read(bytes);
  const colours = new Set<number>();
  let inked = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    const [r, g, b] = [png.data[i] ?? 0, png.data[i + 1] ?? 0, png.data[i + 2] ?? 0];
    colours.add((r << 16) | (g << 8) | b);
    if (r < 235 || g < 235 || b < 235) inked += 1;
  }
  return { width: png.width, height: png.height, colours: colours.size, inked: inked / (png.width * png.height) };
}

describe('the weekly digest, sent by one of three instances on one database', () => {
  let fakes: Fakes;
  let database: { databaseUrl: string; dispose(): Promise<void> };
  let instances: Instance[] = [];
  let prisma: PrismaClient;
  let periodEnd: string;

  before(async () => {
    fakes = await startFakes(TEST_WORLD);
    addDigestPeople(fakes.slack);
    database = await createTestDatabase();
    prisma = await openDatabase(database.databaseUrl);
    await seedDatabase(prisma, TEST_WORLD);
    const { cron, end } = cronDueNow();
    periodEnd = end.toISOString();
    await seedWeek(prisma, end);
    instances = await startInstances(3, fakes, database.databaseUrl, {
      DIGEST_CHANNEL: DIGEST_CHANNEL.id,
      DIGEST_TEAM_CHANNELS: `Billing=${BILLING_CHANNEL.id}`,
      DIGEST_AGENT_SUMMARIES: 'true',
      DIGEST_CRON: cron,
      DIGEST_TIME_ZONE: 'UTC',
      DIGEST_POLL_MS: '100',
    });
  });
  after(async () => {
    await stopInstances(instances);
    await prisma.$disconnect();
    await database.dispose();
    await fakes.close();
  });

  it('posts the workspace digest, the team digest and the summaries exactly once, and records each', async () => {
    const runs = await eventually(async () => {
      const rows = await prisma.digestRun.findMany({ where: { periodEnd }, orderBy: { audience: 'asc' } });
      assert.equal(rows.length, 5);
      assert.ok(
        rows.every((row) => row.sentAt !== null),
        JSON.stringify(rows),
      );
      return rows;
    }, 30_000);
    assert.deepEqual(
      runs.map((r) => [r.audience, r.outcome]),
      [
        ['agent:U0ANA0001', 'sent'],
        ['agent:U0BEN0001', 'sent'],
        ['agent:U0CY00001', 'skipped: muted'],
        ['team:Billing', 'sent'],
        ['workspace', 'sent'],
      ],
    );
    // No wait needed for a second post: only the claim's holder posts, and it marks the row sent only after
    // its posts; once every row is sent, no instance can claim one again.
    const week = fakes.slack.messagesIn(DIGEST_CHANNEL.id);
    assert.equal(week.filter((m) => headerOf(m) === 'QM week').length, 1);
    assert.equal(week.filter((m) => m.files).length, 1, 'one chart');
    const billing = fakes.slack.messagesIn(BILLING_CHANNEL.id);
    assert.equal(billing.filter((m) => headerOf(m) === 'QM week: Billing').length, 1);
    assert.equal(billing.filter((m) => m.files).length, 1);
    assert.equal(fakes.slack.messagesIn('U0ANA0001').length, 1);
    assert.equal(fakes.slack.messagesIn('U0BEN0001').length, 1);
    assert.equal(fakes.slack.messagesIn('U0CY00001').length, 0, 'muted: no summary');
    assert.deepEqual(
      fakes.slack
        .calls('chat.postMessage')
        .map((c) => c.args.channel)
        .sort(),
      [BILLING_CHANNEL.id, DIGEST_CHANNEL.id, 'U0ANA0001', 'U0BEN0001'],
    );
    assert.equal(fakes.slack.calls('files.completeUploadExternal').length, 2);
    const workspace = runs.find((r) => r.audience === 'workspace');
    assert.equal(workspace?.messageTs, week.find((m) => headerOf(m) === 'QM week')?.ts);
    assert.ok(workspace?.chartFileId?.startsWith('F'), "workspace?.chartFileId?.startsWith('F')");
  });

  it('says what the week came to, with names escaped and no comment text', () => {
    const digest = fakes.slack.messagesIn(DIGEST_CHANNEL.id).find((m) => headerOf(m) === 'QM week');
    const text = JSON.stringify(digest?.blocks);
    assert.match(text, /\*Comments\*\\n3/);
    assert.match(text, /\*Scorecards\*\\n2/);
    // Ana 90 and Ben 55 this week (72.5); Ana's 75 the week before.
    assert.match(text, /72\.5% \(▼ 2\.5 from 75%\)/);
    assert.match(text, /acknowledged 50% · disputed 25%/);
    assert.match(text, /Open disputes \(1\)/);
    assert.match(text, /Compliance: 2/);
    assert.match(text, /Rita Reviewer: 3 comments, 2 scorecards/);
    assert.match(text, /Ben &lt;!channel&gt; \*Bold\*/);
    assert.doesNotMatch(text, /<!channel>/);
    assert.doesNotMatch(text, /Secret words|Private reason/);
    // Billing has its own channel: its agents are not listed here, only its totals.
    assert.match(text, /By team/);
    assert.doesNotMatch(text, /\*Ana Lopez\*/);
    const billing = JSON.stringify(fakes.slack.messagesIn(BILLING_CHANNEL.id).find((m) => headerOf(m))?.blocks);
    assert.match(billing, /\*Ana Lopez\*: 2 comments · 1 scorecard · score 90% \(▲ 15 from 75%\) · acknowledged 2\/2/);
    assert.doesNotMatch(billing, /Ben/);
  });

  it('tells each agent their own week, by DM', () => {
    const [summary] = fakes.slack.messagesIn('U0ANA0001');
    const text = JSON.stringify(summary?.blocks);
    assert.match(text, /2 comments\* and \*1 scorecard\* on your calls/);
    assert.match(text, /90% \(▲ 15 from 75%\)/);
    assert.match(text, /You acknowledged 2 of 2/);
  });

  it('uploads the chart as Slack documents it: reserved, its bytes POSTed, then shared, as a PNG with something drawn', () => {
    const [reserve] = fakes.slack.calls('files.getUploadURLExternal');
    assert.equal(reserve?.args.filename, 'qm-week.png');
    assert.match(String(reserve?.args.alt_txt), /average score per agent by week/);
    const files = fakes.slack.files();
    assert.equal(files.length, 2);
    for (const file of files) {
      assert.ok(file.bytes, 'the bytes reached the upload URL');
      assert.equal(file.bytes.length, file.length);
      assert.ok(
        [DIGEST_CHANNEL.id, BILLING_CHANNEL.id].includes(String(file.sharedIn)),
        '[DIGEST_CHANNEL.id, BILLING_CHANNEL.id].includes(String(file.sharedIn))',
      );
      const png = inspectPng(file.bytes);
      assert.ok(png.width >= 600 && png.height >= 300, `${png.width}×${png.height}`);
      assert.ok(png.colours >= 8, `${png.colours} colours`);
      assert.ok(png.inked > 0.02 && png.inked < 0.9, `${Math.round(png.inked * 100)}% drawn`);
    }
  });
});

describe('an instance that dies mid-send', () => {
  let fakes: Fakes;
  let database: { databaseUrl: string; dispose(): Promise<void> };
  let instances: Instance[] = [];
  let prisma: PrismaClient;
  let periodEnd: string;
  /** The dead instance's lease; the live ones hold theirs far longer, so no live claim lapses on a slow machine. */
  const LEASE_MS = 1_500;

  before(async () => {
    fakes = await startFakes(TEST_WORLD);
    addDigestPeople(fakes.slack);
    database = await createTestDatabase();
    prisma = await openDatabase(database.databaseUrl);
    await seedDatabase(prisma, TEST_WORLD);
    const { cron, end } = cronDueNow();
    periodEnd = end.toISOString();
    await seedWeek(prisma, end);
    // What a dead instance leaves: the workspace digest posted (its message is in the channel) but not its
    // chart, its lease run out; the team's digest claimed a moment ago, nothing sent yet.
    fakes.slack.addMessage(DIGEST_CHANNEL.id, { ts: '1700000000.000100', text: 'QM week (posted before the crash)' });
    await prisma.digestRun.create({
      data: {
        audience: 'workspace',
        periodEnd,
        claimedBy: 'dead-instance',
        claimedUntil: new Date(Date.now() - 1_000),
        attempts: 1,
        channelId: DIGEST_CHANNEL.id,
        messageTs: '1700000000.000100',
      },
    });
    await prisma.digestRun.create({
      data: {
        audience: 'team:Billing',
        periodEnd,
        claimedBy: 'dead-instance',
        claimedUntil: new Date(Date.now() + LEASE_MS),
        attempts: 1,
      },
    });
    instances = await startInstances(2, fakes, database.databaseUrl, {
      DIGEST_CHANNEL: DIGEST_CHANNEL.id,
      DIGEST_TEAM_CHANNELS: `Billing=${BILLING_CHANNEL.id}`,
      DIGEST_CRON: cron,
      DIGEST_POLL_MS: '100',
      DIGEST_LEASE_MS: '60000',
    });
  });
  after(async () => {
    await stopInstances(instances);
    await prisma.$disconnect();
    await database.dispose();
    await fakes.close();
  });

  it('is taken over: what it posted is not posted again, and what it had not sent is sent once its lease ends', async () => {
    const startedAt = Date.now();
    const runs = await eventually(async () => {
      const rows = await prisma.digestRun.findMany({ where: { periodEnd }, orderBy: { audience: 'asc' } });
      assert.ok(rows.length === 2 && rows.every((row) => row.sentAt !== null), JSON.stringify(rows));
      return rows;
    }, 30_000);
    assert.deepEqual(
      runs.map((r) => [r.audience, r.outcome, r.attempts]),
      [
        ['team:Billing', 'sent', 2],
        ['workspace', 'sent', 2],
      ],
    );
    assert.ok(
      runs.every((r) => r.claimedBy !== 'dead-instance'),
      "runs.every((r) => r.claimedBy !== 'dead-instance')",
    );
    const week = fakes.slack.messagesIn(DIGEST_CHANNEL.id);
    assert.equal(week.filter((m) => headerOf(m) === 'QM week').length, 0, 'the digest is not posted again');
    assert.equal(week.filter((m) => m.files).length, 1, 'its chart is shared');
    const billing = fakes.slack.messagesIn(BILLING_CHANNEL.id);
    assert.equal(billing.filter((m) => headerOf(m)).length, 1);
    // The team's digest waited for the dead instance's lease to run out.
    const posted = fakes.slack.calls('chat.postMessage').find((c) => c.args.channel === BILLING_CHANNEL.id);
    const team = runs.find((r) => r.audience === 'team:Billing');
    assert.ok(posted && team && posted.at >= team.createdAt.getTime() + LEASE_MS - 50, 'not before the lease ended');
    assert.ok(Date.now() - startedAt < 30_000, 'Date.now() - startedAt < 30_000');
  });
});
