import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { IdentityRepository } from '../../src/db/repositories/identity-repository.js';
import { createSecretBox } from '../../src/security/secret-box.js';
import { CaptureLogger } from '../helpers/capture-logger.js';
import { commentWithQm } from '../helpers/reviewer-story.js';
import { testSecretsKey } from '../helpers/secrets-keys.js';
import { signSlackRequest } from '../helpers/slack-requests.js';
import {
  BOT_TOKEN,
  CATEGORY,
  eventually,
  REVIEWER,
  SEGMENT_ID,
  SIGNING_SECRET,
  startTestApp,
  type TestApp,
} from '../helpers/test-app.js';

/** Must match what startTestApp gives the app as SECRETS_KEY. */
const SECRETS_KEY = testSecretsKey(7);
const SMUGGLING_AUTHORIZATION = 'Token smuggled-secret-4242\r\nX-Evil: 1';
/** A Flex user's own Authorization value, as an admin would store it for a reviewer. */
const OWN_AUTHORIZATION = 'Token flexuser.eyJzZWNyZXQiOiJyaXRhLW93bi1mbGV4LWF1dGgifQ.s1gn4ture-9f8e7d';

describe('secrets stay out of the logs and out of the database file', () => {
  let t: TestApp;
  const logger = new CaptureLogger();
  let secrets: Record<string, string>;

  before(async () => {
    t = await startTestApp({ logger, env: { LOG_LEVEL: 'debug', NOTIFY_CHANNEL: 'C0QA00001' } });
    t.flex.addUser(OWN_AUTHORIZATION, { name: REVIEWER.name, email: REVIEWER.email });
    const identities = new IdentityRepository(t.prisma, createSecretBox(SECRETS_KEY));
    await identities.upsertByEmail({
      email: REVIEWER.email,
      flexUserName: REVIEWER.name,
      flexAuthorization: OWN_AUTHORIZATION,
    });
    const basic = Buffer.from(`${t.flex.accountSid}:${t.flex.authToken}`).toString('base64');
    secrets = {
      'bot token': BOT_TOKEN,
      'signing secret': SIGNING_SECRET,
      'Flex auth token': t.flex.authToken,
      'Flex API key secret': t.flex.apiKeySecret,
      'basic-auth header value': basic,
      'stored Flex Authorization value': OWN_AUTHORIZATION,
      'the part of it after "Token "': OWN_AUTHORIZATION.slice('Token '.length),
      'header-smuggling Authorization value': 'smuggled-secret-4242',
      'SECRETS_KEY (base64)': SECRETS_KEY.toString('base64'),
      'SECRETS_KEY (hex)': SECRETS_KEY.toString('hex'),
    };
  });
  after(async () => {
    await t.close();
  });

  it('logs none of them at debug level through a whole story: posted, refused (401), and with the reviewer’s own authorization', async () => {
    // 1. Posted as the reviewer's own Flex user, confirmed and announced.
    await commentWithQm(t, SEGMENT_ID, { category: CATEGORY.id, comment: 'All good' });
    await eventually(async () => {
      const row = await t.prisma.assessment.findFirstOrThrow();
      assert.equal(row.status, 'posted');
      assert.ok(row.announcedAt, 'announced');
    });
    assert.equal(t.flex.comments[0]?.user_email, REVIEWER.email, 'sent with the reviewer’s own authorization');
    assert.ok(
      t.flex.requests.some((r) => r.headers.authorization === OWN_AUTHORIZATION),
      'the stored value was used, so a leak would have had something to leak',
    );

    // 2. Flex refuses the reviewer's authorization.
    t.flex.failNext({
      method: 'POST',
      status: 401,
      body: JSON.stringify({ code: 20003, message: 'Authenticate', more_info: 'x', status: 401 }),
      headers: { 'www-authenticate': 'Basic realm="Twilio API"' },
    });
    await commentWithQm(t, SEGMENT_ID, { category: CATEGORY.id, comment: 'Refused' });
    await eventually(async () => assert.equal(await t.prisma.assessment.count({ where: { status: 'failed' } }), 1));

    // 3. Flex unreachable for the segment lookup (a network error carries the request in some clients).
    t.flex.failNext({ method: 'GET', resetBeforeProcessing: true });
    await commentWithQm(t, SEGMENT_ID, { category: CATEGORY.id, comment: 'Lookup dropped' }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));

    // 4. A stored value that could smuggle a header is refused before sending, and not echoed.
    await new IdentityRepository(t.prisma, createSecretBox(SECRETS_KEY)).upsertByEmail({
      email: REVIEWER.email,
      flexUserName: REVIEWER.name,
      flexAuthorization: SMUGGLING_AUTHORIZATION,
    });
    await commentWithQm(t, SEGMENT_ID, { category: CATEGORY.id, comment: 'Smuggled' });
    await eventually(async () => assert.equal(await t.prisma.assessment.count({ where: { status: 'failed' } }), 2));
    assert.ok(
      !t.flex.requests.some((r) => String(r.headers['x-evil'] ?? '') !== ''),
      'no smuggled header reached Flex',
    );

    // 5. Forged and stale requests: the refusal says why without echoing what was sent.
    const forged = new URLSearchParams({ command: '/qm', text: '' }).toString();
    await t.sender.raw(forged, {
      'content-type': 'application/x-www-form-urlencoded',
      ...signSlackRequest(SIGNING_SECRET, forged, Math.floor(Date.now() / 1000) - 400),
    });
    await t.sender.raw(forged, {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-signature': `v0=${SIGNING_SECRET}`,
    });
    assert.ok(logger.matching(/failed to verify/).length >= 2, 'the refusals were logged');

    const logged = logger.text();
    assert.ok(logged.includes('http request body'), 'the WebClient’s debug lines were captured');
    assert.ok(logger.lines.length > 50, `captured ${logger.lines.length} lines`);
    for (const [name, value] of Object.entries(secrets)) {
      assert.ok(!logged.includes(value), `the ${name} appears in the log:\n${excerpt(logged, value)}`);
    }
  });

  it('keeps no plaintext Flex Authorization value or token in the database (SQLite: the file and its WAL; PostgreSQL: every row)', async () => {
    const bytes = await rawDatabaseContent(t);
    assert.ok(bytes[0] && bytes[0].length > 0, 'bytes[0] && bytes[0].length > 0');
    const sealed = await t.prisma.identity.findFirstOrThrow({ where: { email: REVIEWER.email } });
    assert.ok(sealed.flexAuthorizationSealed?.startsWith('v1.'), 'stored sealed');
    for (const [name, value] of Object.entries(secrets)) {
      for (const encoding of ['utf8', 'utf16le'] as const) {
        const needle = Buffer.from(value, encoding);
        assert.ok(
          bytes.every((content) => !content.includes(needle)),
          `the ${name} is in the database file (${encoding})`,
        );
      }
    }
  });
});

/** What the database holds, as bytes: SQLite's own files, or every row of every table on PostgreSQL. */
async function rawDatabaseContent(t: TestApp): Promise<Buffer[]> {
  if (t.databaseUrl.startsWith('file:')) {
    await t.prisma.$queryRawUnsafe('PRAGMA wal_checkpoint(TRUNCATE)');
    const file = t.databaseUrl.slice('file:'.length);
    return [file, `${file}-wal`, `${file}-journal`]
      .filter((path) => existsSync(path))
      .map((path) => readFileSync(path));
  }
  const tables = await t.prisma.$queryRawUnsafe<Array<{ name: string }>>(
    "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'",
  );
  const dumps: Buffer[] = [];
  for (const { name } of tables) {
    const rows = await t.prisma.$queryRawUnsafe<Array<{ row: string }>>(
      `SELECT row_to_json(t)::text AS row FROM "${name.replaceAll('"', '""')}" t`,
    );
    dumps.push(Buffer.from(rows.map((r) => r.row).join('\n')));
  }
  return [Buffer.concat(dumps)];
}

function excerpt(text: string, value: string): string {
  const at = text.indexOf(value);
  return text.slice(Math.max(0, at - 300), at + value.length + 100);
}
