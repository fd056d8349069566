import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Logger, LogLevel } from '@slack/bolt';
import { loadLoggingSettings } from '../../src/config/logging-settings.js';
import { FlexUnavailableError, logArgs } from '../../src/flex/errors.js';
import { PinoBoltLogger } from '../../src/logging/bolt-logger.js';
import { scrubLibraryLine } from '../../src/logging/library-lines.js';
import { CaptureLogger } from '../helpers/capture-logger.js';

const SECRET = 'xoxb-1234-secret-token';
const PERSONAL = 'rita.private@example.com';

/** What Prisma throws for a call it refuses: the call quoted, arguments and all, then the reason. */
function prismaError(): Error {
  const error = new Error(
    `\nInvalid \`prisma.assessment.create()\` invocation:\n\n{ data: { comment: "private words", email: "${PERSONAL}" } }\n\nArgument \`segmentId\` is missing.`,
  );
  error.name = 'PrismaClientValidationError';
  return error;
}

describe('the logger Bolt and Slack’s clients are given', () => {
  it('turns their text lines into JSON lines and keeps our fields', () => {
    const capture = new CaptureLogger();
    const logger = new PinoBoltLogger(capture.log);
    logger.info("apiCall('chat.postMessage') start");
    logger.warn({ event: 'x', assessmentId: 'a1' }, 'structured');
    logger.error(
      'Slack API error: not_found',
      Object.assign(new Error('An API error occurred: not_found'), {
        data: { ok: false, error: 'not_found', user: PERSONAL },
      }),
    );
    assert.equal(capture.lines[0]?.record.msg, "apiCall('chat.postMessage') start");
    assert.equal(capture.lines[1]?.record.assessmentId, 'a1');
    const err = capture.lines[2]?.record.err as Record<string, unknown>;
    assert.equal(err.slackError, 'not_found');
    assert.ok(!capture.text().includes(PERSONAL), 'an error’s data is not printed');
  });

  it('honours its level, set by Bolt through setLevel', () => {
    const capture = new CaptureLogger();
    const logger = new PinoBoltLogger(capture.log);
    logger.setLevel(LogLevel.WARN);
    logger.info('hidden');
    logger.debug('hidden');
    logger.warn('shown');
    assert.deepEqual(
      capture.lines.map((line) => line.record.msg),
      ['shown'],
    );
    assert.equal(logger.getLevel(), LogLevel.WARN);
  });

  it('redacts sensitive fields by key path, at the top and one level down', () => {
    const capture = new CaptureLogger();
    capture.log.info(
      { email: PERSONAL, comment: 'words', user: { email: PERSONAL, token: SECRET }, client_secret: SECRET },
      'm',
    );
    assert.ok(!capture.text().includes(PERSONAL), '!capture.text().includes(PERSONAL)');
    assert.ok(!capture.text().includes(SECRET), '!capture.text().includes(SECRET)');
    assert.ok(!capture.text().includes('words'), "!capture.text().includes('words')");
  });

  it('takes logArgs as listeners call it (fields, then the message): the error goes through safeError', () => {
    const capture = new CaptureLogger();
    // As a listener holds it: Bolt's Logger type, whose methods take any arguments.
    const logger: Logger = new PinoBoltLogger(capture.log);
    logger.error(...logArgs('Could not save the comment of scorecard s1', prismaError()));
    logger.warn(
      ...logArgs(
        'Reading the answers on a call from Flex failed',
        new FlexUnavailableError({ operation: 'listAnswers', status: 503, responseBody: PERSONAL }),
      ),
    );
    const [saved, read] = capture.lines;
    assert.equal(saved?.level, 'error');
    assert.equal(saved?.record.msg, 'Could not save the comment of scorecard s1');
    const err = saved?.record.err as Record<string, unknown>;
    assert.equal(err.type, 'PrismaClientValidationError');
    assert.equal(err.message, 'Argument `segmentId` is missing.');
    assert.equal(read?.record.errorCode, 'flex_unavailable');
    assert.match(
      String(read?.record.msg),
      /^Reading the answers on a call from Flex failed: Flex answered with a server error \(HTTP 503\)/,
    );
    assert.ok(!capture.text().includes(PERSONAL) && !capture.text().includes('private words'), capture.text());
  });

  it('logs a Prisma error passed the library way (alone, as Bolt’s default error handler does, or second) by its reason', () => {
    const capture = new CaptureLogger();
    const logger = new PinoBoltLogger(capture.log);
    logger.error(prismaError());
    logger.warn('Two failures:', new Error('the first'), prismaError());
    assert.equal(capture.lines[0]?.record.msg, 'Argument `segmentId` is missing.');
    assert.equal(capture.lines[1]?.record.msg, 'Two failures: Argument `segmentId` is missing.');
    assert.equal((capture.lines[1]?.record.err as Record<string, unknown> | undefined)?.message, 'the first');
    assert.ok(!capture.text().includes(PERSONAL) && !capture.text().includes('private words'), capture.text());
  });

  it('never prints other objects a library passes', () => {
    const capture = new CaptureLogger();
    new PinoBoltLogger(capture.log).debug('payload', {
      text: 'comment words',
      response_url: 'https://hooks.slack.com/x',
    });
    assert.equal(capture.lines[0]?.record.msg, 'payload [object not logged]');
  });
});

describe('the library lines that carry content', () => {
  const cases: Array<[string, RegExp]> = [
    [
      `http request body: {"token":"[[REDACTED]]","client_secret":"${SECRET}","code":"c"}`,
      /keys: token, client_secret, code/,
    ],
    [`http request result: {"ok":true,"user":{"profile":{"email":"${PERSONAL}"}}}`, /ok: true \(content not logged\)/],
    [`http request headers: {"Authorization":"Bearer ${SECRET}"}`, /not logged/],
    [`http request url: https://hooks.slack.com/commands/T1/2/${SECRET}`, /https:\/\/hooks\.slack\.com\/…/],
    [
      `ack() response sent (body: {"response_action":"update","view":{"x":"${PERSONAL}"}})`,
      /ack\(\) response sent \(body not logged\)/,
    ],
    [
      `Received a message on the WebSocket: {"envelope_id":"e1","type":"slash_commands","payload":{"response_url":"https://hooks.slack.com/${SECRET}","text":"${PERSONAL}"}}`,
      /type: slash_commands, envelope_id: e1; payload not logged/,
    ],
    [`Calling ack() - type: interactive, envelope_id: e2, data: {"view":"${PERSONAL}"}`, /data not logged/],
    [`Sending a WebSocket message: {"envelope_id":"e3","payload":"${PERSONAL}"}`, /content not logged/],
    [`Generated authorize URL: https://slack.com/oauth/v2/authorize?state=${SECRET}`, /query not logged/],
    [`Error details: Error: ${PERSONAL}, storedResponse: x`, /not logged/],
  ];
  for (const [line, expected] of cases) {
    it(line.slice(0, 40), () => {
      const scrubbed = scrubLibraryLine(line);
      assert.match(scrubbed, expected);
      assert.ok(!scrubbed.includes(SECRET) && !scrubbed.includes(PERSONAL), scrubbed);
    });
  }
  it('keeps every other line as it is', () => {
    assert.equal(scrubLibraryLine("apiCall('views.open') end"), "apiCall('views.open') end");
  });
});

describe('LOG_FORMAT', () => {
  it('is pretty on a terminal and JSON elsewhere unless set; a bad value falls back', () => {
    assert.equal(loadLoggingSettings({}, true).format, 'pretty');
    assert.equal(loadLoggingSettings({}, false).format, 'json');
    assert.equal(loadLoggingSettings({ LOG_FORMAT: 'json' }, true).format, 'json');
    assert.equal(loadLoggingSettings({ LOG_FORMAT: 'pretty', LOG_LEVEL: 'debug' }, false).format, 'pretty');
    assert.equal(loadLoggingSettings({ LOG_FORMAT: 'pretty', LOG_LEVEL: 'debug' }, false).level, 'debug');
    assert.deepEqual(loadLoggingSettings({ LOG_FORMAT: 'xml' }, false), { level: 'info', format: 'json' });
  });
});

describe('errors in the log', () => {
  it('show a Prisma error’s reason, not the call it quotes (with its arguments), nor its message twice', () => {
    const capture = new CaptureLogger();
    const error = new Error(
      `\nInvalid \`prisma.assessment.create()\` invocation:\n\n{ data: { comment: "private words", email: "${PERSONAL}" } }\n\nArgument \`segmentId\` is missing.`,
    );
    error.name = 'PrismaClientValidationError';
    capture.log.error({ err: error }, 'Could not save');
    const err = capture.lines[0]?.record.err as Record<string, unknown>;
    assert.equal(err.message, 'Argument `segmentId` is missing.');
    assert.ok(!capture.text().includes(PERSONAL) && !capture.text().includes('private words'), capture.text());
  });
});
