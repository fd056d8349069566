import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextSlackSend, slackErrorReason } from '../../src/slack/notifications/slack-send-retry.js';

const NOW = new Date('2026-12-07T09:00:00Z');
const slackError = (code: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`An API error occurred: ${code}`), { data: { ok: false, error: code }, ...extra });

describe('what follows a failed send to Slack (announcements, scorecard announcements, agent DMs)', () => {
  it('backs off 2 s, 4 s, 8 s… up to 5 minutes, and gives up at the last try', () => {
    const delays = [0, 1, 2, 3, 7, 8].map((before) => {
      const next = nextSlackSend(slackError('channel_not_found'), before, 10, NOW);
      return next.kind === 'retry' ? next.delayMs : next.kind;
    });
    assert.deepEqual(delays, [2_000, 4_000, 8_000, 16_000, 256_000, 300_000]);
    const last = nextSlackSend(slackError('channel_not_found'), 9, 10, NOW);
    assert.deepEqual(last, { kind: 'give_up', attempt: 10, reason: 'channel_not_found' });
  });

  it('waits what Slack’s Retry-After says when rate-limited, and says when', () => {
    const next = nextSlackSend(Object.assign(new Error('rate limited'), { retryAfter: 30 }), 0, 8, NOW);
    assert.equal(next.kind, 'retry');
    assert.equal(next.kind === 'retry' && next.at.toISOString(), '2026-12-07T09:00:30.000Z');
  });

  it('gives up at once on a workspace that uninstalled the app', () => {
    const error = Object.assign(new Error('no installation'), { code: 'workspace_not_installed' });
    assert.equal(nextSlackSend(error, 0, 8, NOW).kind, 'give_up');
  });

  it('names Slack’s error code, else the message, never what was sent', () => {
    assert.equal(slackErrorReason(slackError('not_in_channel')), 'not_in_channel');
    assert.equal(slackErrorReason(new Error('socket hang up')), 'socket hang up');
    assert.equal(slackErrorReason('odd'), 'odd');
  });

  it('keeps only a database error’s reason, which is stored as the send’s error: not the call it quotes', () => {
    const error = new Error(
      '\nInvalid `prisma.feedback.upsert()` invocation:\n\n{ create: { agentName: "Alex Private" } }\n\nArgument `kind` is missing.',
    );
    error.name = 'PrismaClientValidationError';
    assert.equal(nextSlackSend(error, 0, 8, NOW).reason, 'Argument `kind` is missing.');
  });
});
