import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  FlexBadResponseError,
  FlexNetworkError,
  FlexRejectedError,
  FlexUnavailableError,
} from '../../src/flex/errors.js';
import { createFlexClient, type FlexClient } from '../../src/flex/flex-client.js';
import { FakeFlexApi, htmlErrorPage, tooManyRequests, twilioErrorAnswer } from '../fakes/fake-flex-api.js';

const COMMENT = {
  categoryId: 'c9ba34ca-0000-4000-8000-000000000001',
  categoryName: 'Good for Training',
  comment: 'Nice close',
  segmentId: '0105be7a-9b87-51f1-8df8-aa74ddb9c4a7',
  agentId: '583fcaa6-a4ef-5447-9077-900421e37a61',
  offsetSeconds: 6.5,
};
/** The timeout of the client the timeout tests use. */
const TIMEOUT_MS = 250;
/**
 * Every other test's client waits this long: an answer the fake gives at once may still take a second on a
 * loaded machine (test files run in parallel), and would read as a timeout.
 */
const PATIENT_MS = 10_000;
/** How long the fake keeps the answers the timeout tests wait for: far beyond TIMEOUT_MS. */
const SLOW_ANSWER_MS = 5_000;

const failureOf = (work: Promise<unknown>) =>
  work.then(
    () => assert.fail('expected the call to fail'),
    (error: unknown) => error,
  );

/** A port on which nothing listens. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 0;
}

describe('Flex client failures', () => {
  let flex: FakeFlexApi;
  let client: FlexClient;
  /** A client that gives up after TIMEOUT_MS. */
  let impatient: FlexClient;
  const clientFor = (
    credentials: { username: string; password: string },
    baseUrl = flex.baseUrl,
    timeoutMs = PATIENT_MS,
  ) => createFlexClient({ baseUrl, credentials, timeoutMs });

  before(async () => {
    flex = await FakeFlexApi.start();
    client = clientFor({ username: flex.accountSid, password: flex.authToken });
    impatient = clientFor({ username: flex.accountSid, password: flex.authToken }, flex.baseUrl, TIMEOUT_MS);
  });
  after(async () => {
    await client.close();
    await impatient.close();
    await flex.close();
  });
  beforeEach(() => flex.reset());

  describe('Flex refuses (4xx): not retried, and said in words a reviewer can act on', () => {
    it('401 for the app’s credentials, with nothing secret in the message', async () => {
      const wrong = clientFor({ username: flex.accountSid, password: 'not-the-token' });
      try {
        const error = await failureOf(wrong.createComment(COMMENT));
        assert.ok(error instanceof FlexRejectedError, 'error instanceof FlexRejectedError');
        assert.equal(error.code, 'flex_rejected');
        assert.equal(error.status, 401);
        assert.equal(error.twilioCode, 20003);
        assert.equal(error.twilioMessage, 'Authenticate');
        assert.equal(error.moreInfo, 'https://www.twilio.com/docs/errors/20003');
        assert.equal(error.retryable, false);
        assert.equal(error.outcomeUnknown, false);
        assert.equal(
          error.message,
          "Flex refused the app's credentials (Twilio error 20003: Authenticate). Ask your Slack admin to check the app's Twilio settings.",
        );
        const everything = `${error.message} ${error.stack} ${JSON.stringify(error)}`;
        for (const secret of ['not-the-token', Buffer.from(`${flex.accountSid}:not-the-token`).toString('base64')]) {
          assert.ok(!everything.includes(secret), '!everything.includes(secret)');
        }
      } finally {
        await wrong.close();
      }
    });

    it('401 for a reviewer’s own authorization points at that authorization', async () => {
      const error = await failureOf(client.createComment(COMMENT, { authorization: 'Token expired-one' }));
      assert.ok(error instanceof FlexRejectedError, 'error instanceof FlexRejectedError');
      assert.equal(error.status, 401);
      assert.match(error.message, /^Flex refused your own Flex authorization \(Twilio error 20003: Authenticate\)\./);
      assert.ok(!error.message.includes('expired-one'), "!error.message.includes('expired-one')");
    });

    it('400 carries Twilio’s reason and says what to check', async () => {
      flex.setCommentCategories([{ id: 'known', name: 'Known' }]);
      try {
        const error = await failureOf(client.createComment(COMMENT));
        assert.ok(error instanceof FlexRejectedError, 'error instanceof FlexRejectedError');
        assert.equal(error.status, 400);
        assert.equal(error.twilioCode, 20001);
        assert.match(
          error.message,
          /^Flex did not accept the comment's details \(Twilio error 20001: Invalid parameter CategoryId: .*\)\. Check the category, the call and the time, then submit again\.$/,
        );
      } finally {
        flex.setCommentCategories([]);
      }
      const empty = await failureOf(client.createComment({ ...COMMENT, comment: '' }));
      assert.ok(empty instanceof FlexRejectedError, 'empty instanceof FlexRejectedError');
      assert.match(empty.message, /Missing required parameter Comment in the post body/);
    });

    it('403 and 422 too', async () => {
      flex.failNext(twilioErrorAnswer(403, 20403, 'Forbidden'), twilioErrorAnswer(422, 20422, 'Unprocessable'));
      const forbidden = await failureOf(client.createComment(COMMENT));
      assert.ok(forbidden instanceof FlexRejectedError, 'forbidden instanceof FlexRejectedError');
      assert.match(
        forbidden.message,
        /^Flex does not allow this Twilio account to use quality management .*Flex admin/,
      );
      const unprocessable = await failureOf(client.createComment(COMMENT));
      assert.ok(unprocessable instanceof FlexRejectedError, 'unprocessable instanceof FlexRejectedError');
      assert.match(unprocessable.message, /Twilio error 20422: Unprocessable.*Check the category/);
    });

    it('404 (a wrong Flex API address) for every call', async () => {
      const misplaced = clientFor({ username: flex.accountSid, password: flex.authToken }, `${flex.baseUrl}/wrong`);
      try {
        for (const call of [
          () => misplaced.createComment(COMMENT),
          () => misplaced.listComments({ segmentId: COMMENT.segmentId }),
          () => misplaced.findSegment(COMMENT.segmentId),
          () => misplaced.listCommentCategories(),
        ]) {
          const error = await failureOf(call());
          assert.ok(error instanceof FlexRejectedError, 'error instanceof FlexRejectedError');
          assert.equal(error.status, 404);
          assert.equal(error.twilioCode, 20404);
          assert.match(
            error.message,
            /^Flex could not find its quality-management API \(Twilio error 20404: .*Flex API address/,
          );
        }
      } finally {
        await misplaced.close();
      }
    });

    it('a 4xx without a Twilio body still reads as a sentence', async () => {
      flex.failNext(htmlErrorPage(409));
      const error = await failureOf(client.createComment(COMMENT));
      assert.ok(error instanceof FlexRejectedError, 'error instanceof FlexRejectedError');
      assert.equal(error.twilioCode, undefined);
      assert.equal(error.message, 'Flex refused the request with HTTP 409.');
      assert.match(error.responseBody, /<html>/);
    });
  });

  describe('Flex is unavailable (5xx, 429): retried', () => {
    it('500 may have created the comment; a 502 HTML page from a proxy is the same', async () => {
      flex.failNext(twilioErrorAnswer(500, 20500, 'Internal Server Error'), htmlErrorPage(502));
      for (const status of [500, 502]) {
        const error = await failureOf(client.createComment(COMMENT));
        assert.ok(error instanceof FlexUnavailableError, 'error instanceof FlexUnavailableError');
        assert.equal(error.code, 'flex_unavailable');
        assert.equal(error.status, status);
        assert.equal(error.retryable, true);
        assert.equal(error.outcomeUnknown, true);
        assert.equal(error.retryAfterMs, undefined);
      }
    });

    it('a 5xx to a read leaves nothing in doubt', async () => {
      flex.failNext(htmlErrorPage(503, { method: 'GET' }));
      const error = await failureOf(client.listComments({ segmentId: COMMENT.segmentId }));
      assert.ok(error instanceof FlexUnavailableError, 'error instanceof FlexUnavailableError');
      assert.equal(error.outcomeUnknown, false);
    });

    it('429 was never processed and says how long to wait, in seconds or as a date', async () => {
      const inTwoMinutes = new Date(Date.now() + 120_000).toUTCString();
      flex.failNext(tooManyRequests('7'), tooManyRequests(inTwoMinutes), tooManyRequests());
      const seconds = await failureOf(client.createComment(COMMENT));
      assert.ok(seconds instanceof FlexUnavailableError, 'seconds instanceof FlexUnavailableError');
      assert.equal(seconds.status, 429);
      assert.equal(seconds.twilioCode, 20429);
      assert.equal(seconds.retryAfterMs, 7_000);
      assert.equal(seconds.outcomeUnknown, false);
      assert.match(seconds.message, /slow down/);
      const date = await failureOf(client.createComment(COMMENT));
      assert.ok(date instanceof FlexUnavailableError, 'date instanceof FlexUnavailableError');
      assert.ok(
        date.retryAfterMs !== undefined && date.retryAfterMs > 110_000 && date.retryAfterMs <= 120_000,
        'date.retryAfterMs !== undefined && date.retryAfterMs > 110_000 && date.retryAfterMs <= …',
      );
      const none = await failureOf(client.createComment(COMMENT));
      assert.ok(none instanceof FlexUnavailableError, 'none instanceof FlexUnavailableError');
      assert.equal(none.retryAfterMs, undefined);
      assert.equal(flex.commentsCreated(), 0);
    });
  });

  describe('no answer: the network', () => {
    it('a slow answer times out; the comment may exist', async () => {
      flex.failNext({ delayMs: SLOW_ANSWER_MS });
      const started = Date.now();
      const error = await failureOf(impatient.createComment(COMMENT));
      assert.ok(error instanceof FlexNetworkError, 'error instanceof FlexNetworkError');
      assert.equal(error.code, 'flex_network');
      assert.equal(error.failure, 'timeout');
      assert.equal(error.retryable, true);
      assert.equal(error.outcomeUnknown, true);
      assert.equal(error.message, `Flex did not answer within ${TIMEOUT_MS} ms`);
      // Gave up at its timeout, not when the answer came (timers can fire late on a loaded machine).
      assert.ok(Date.now() - started < SLOW_ANSWER_MS, 'Date.now() - started < SLOW_ANSWER_MS');
      assert.equal(flex.commentsCreated(), 1, 'Flex did create it');
    });

    it('the timeout covers the body too, not just the headers', async () => {
      flex.failNext({
        status: 201,
        body: JSON.stringify({ assessment_sid: `FM${'b'.repeat(32)}` }),
        bodyDelayMs: SLOW_ANSWER_MS,
      });
      const error = await failureOf(impatient.createComment(COMMENT));
      assert.ok(error instanceof FlexNetworkError, 'error instanceof FlexNetworkError');
      assert.equal(error.failure, 'timeout');
      assert.equal(error.outcomeUnknown, true);
    });

    it('a connection dropped after Flex did the work leaves the outcome unknown', async () => {
      flex.failNext({ resetAfterProcessing: true });
      const error = await failureOf(client.createComment(COMMENT));
      assert.ok(error instanceof FlexNetworkError, 'error instanceof FlexNetworkError');
      assert.equal(error.failure, 'connection_lost');
      assert.equal(error.outcomeUnknown, true);
      assert.equal(flex.commentsCreated(), 1);
    });

    it('a connection dropped before Flex did anything looks the same from here, so it is unknown too', async () => {
      flex.failNext({ resetBeforeProcessing: true });
      const error = await failureOf(client.createComment(COMMENT));
      assert.ok(error instanceof FlexNetworkError, 'error instanceof FlexNetworkError');
      assert.equal(error.outcomeUnknown, true);
      assert.equal(flex.commentsCreated(), 0);
    });

    it('a refused connection never reached Flex', async () => {
      const nowhere = clientFor({ username: 'a', password: 'b' }, `http://127.0.0.1:${await closedPort()}`);
      try {
        const error = await failureOf(nowhere.createComment(COMMENT));
        assert.ok(error instanceof FlexNetworkError, 'error instanceof FlexNetworkError');
        assert.equal(error.failure, 'not_connected');
        assert.equal(error.outcomeUnknown, false);
        assert.equal(error.retryable, true);
        assert.match(error.message, /Could not reach Flex \(ECONNREFUSED\)/);
      } finally {
        await nowhere.close();
      }
    });

    it('a read that fails leaves nothing in doubt', async () => {
      flex.failNext({ resetAfterProcessing: true, method: 'GET' });
      const error = await failureOf(client.listComments({ segmentId: COMMENT.segmentId }));
      assert.ok(error instanceof FlexNetworkError, 'error instanceof FlexNetworkError');
      assert.equal(error.outcomeUnknown, false);
    });

    it('a caller’s cancellation is not a timeout', async () => {
      flex.failNext({ delayMs: 2_000 });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 20);
      const error = await failureOf(client.createComment(COMMENT, { signal: controller.signal }));
      assert.ok(error instanceof FlexNetworkError, 'error instanceof FlexNetworkError');
      assert.equal(error.failure, 'cancelled');
      assert.equal(error.outcomeUnknown, true);

      const already = await failureOf(client.createComment(COMMENT, { signal: AbortSignal.abort() }));
      assert.ok(already instanceof FlexNetworkError, 'already instanceof FlexNetworkError');
      assert.equal(already.outcomeUnknown, false, 'cancelled before anything was sent');
    });
  });

  describe('an answer we cannot use', () => {
    const unusable201s: Array<[string, string]> = [
      ['an HTML page', '<html><body>Welcome</body></html>'],
      ['truncated JSON', '{"assessment_sid": "FM0123'],
      ['an empty body', ''],
      ['JSON without an assessment_sid', JSON.stringify({ account_sid: 'AC1', comment: { comment: 'x' } })],
      ['JSON that is not an object', '[]'],
    ];
    for (const [what, body] of unusable201s) {
      it(`a 201 with ${what} is a failure whose outcome is unknown`, async () => {
        flex.failNext({ status: 201, body, processed: true });
        const error = await failureOf(client.createComment(COMMENT));
        assert.ok(error instanceof FlexBadResponseError, what);
        assert.equal(error.code, 'flex_bad_response');
        assert.equal(error.status, 201);
        assert.equal(error.retryable, true);
        assert.equal(error.outcomeUnknown, true);
        assert.equal(error.responseBody, body);
        assert.match(error.message, /^Flex answered HTTP 201 with a body we could not use \(.+\)$/);
      });
    }

    it('a 200 to a create is not the 201 Flex promises', async () => {
      flex.failNext({ status: 200, body: JSON.stringify({ assessment_sid: `FM${'c'.repeat(32)}` }) });
      const error = await failureOf(client.createComment(COMMENT));
      assert.ok(error instanceof FlexBadResponseError, 'error instanceof FlexBadResponseError');
      assert.match(error.message, /expected 201 Created/);
      assert.equal(error.outcomeUnknown, true);
    });

    it('a list page that is not JSON fails the whole list rather than returning part of it', async () => {
      flex.failNext({ method: 'GET', status: 200, body: '{"comments": [' });
      const error = await failureOf(client.listComments({ segmentId: COMMENT.segmentId }));
      assert.ok(error instanceof FlexBadResponseError, 'error instanceof FlexBadResponseError');
      assert.equal(error.outcomeUnknown, false);
    });
  });
});
