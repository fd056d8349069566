import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config/config.js';

const BASE = {
  SLACK_BOT_TOKEN: 'xoxb-test',
  SLACK_SIGNING_SECRET: 'signing',
  TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
  TWILIO_AUTH_TOKEN: 'auth',
};

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig({ ...BASE, ...env });
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};

describe('digest settings', () => {
  it('defaults to Monday 09:00 UTC, off until a channel or the summaries are set, with the chart', () => {
    const { digests } = loadConfig(BASE);
    assert.equal(digests.cron, '0 9 * * 1');
    assert.equal(digests.timeZone, 'UTC');
    assert.equal(digests.channelId, undefined);
    assert.equal(digests.agentSummaries, false);
    assert.equal(digests.chart, true);
    assert.equal(digests.teamChannels.size, 0);
  });

  it('reads the schedule, its zone and the teams’ channels', () => {
    const { digests } = loadConfig({
      ...BASE,
      DIGEST_CHANNEL: 'C0WEEK001',
      DIGEST_CRON: '30 8 * * 5',
      DIGEST_TIME_ZONE: 'Europe/Berlin',
      DIGEST_TEAM_CHANNELS: 'Billing=C0BILL001; Sales, EMEA=G0SALES01',
      DIGEST_AGENT_SUMMARIES: 'true',
      DIGEST_CHART: 'false',
    });
    assert.equal(digests.cron, '30 8 * * 5');
    assert.equal(digests.timeZone, 'Europe/Berlin');
    assert.deepEqual(
      [...digests.teamChannels],
      [
        ['Billing', 'C0BILL001'],
        ['Sales, EMEA', 'G0SALES01'],
      ],
    );
    assert.equal(digests.agentSummaries, true);
    assert.equal(digests.chart, false);
  });

  it('names each wrong setting and what it should be', () => {
    const problems = problemsOf({
      DIGEST_CHANNEL: '#qa-week',
      DIGEST_CRON: 'every monday',
      DIGEST_TIME_ZONE: 'Mars/Olympus',
      DIGEST_TEAM_CHANNELS: 'Billing',
    });
    assert.ok(
      problems.some((p) => p.startsWith('DIGEST_CHANNEL must be a channel id')),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.startsWith('DIGEST_CRON must be a cron expression')),
      "problems.some((p) => p.startsWith('DIGEST_CRON must be a cron expression'))",
    );
    assert.ok(
      problems.some((p) => p.startsWith('DIGEST_TIME_ZONE must be an IANA time zone')),
      "problems.some((p) => p.startsWith('DIGEST_TIME_ZONE must be an IANA time zone'))",
    );
    assert.ok(
      problems.some((p) => p.startsWith('DIGEST_TEAM_CHANNELS must be "Team name=C…" pairs')),
      'problems.some((p) => p.startsWith(\'DIGEST_TEAM_CHANNELS must be "Team name=C…" pairs\'))',
    );
  });

  it('refuses channels of one workspace when workspaces install by OAuth', () => {
    const problems = problemsOf({
      SLACK_BOT_TOKEN: '',
      SLACK_CLIENT_ID: '1.2',
      SLACK_CLIENT_SECRET: 'secret',
      SLACK_STATE_SECRET: 'x'.repeat(32),
      SECRETS_KEY: Buffer.alloc(32, 1).toString('base64'),
      DIGEST_CHANNEL: 'C0WEEK001',
    });
    assert.ok(
      problems.some((p) => p.startsWith('DIGEST_CHANNEL and DIGEST_TEAM_CHANNELS name channels of one workspace')),
      "problems.some((p) => p.startsWith('DIGEST_CHANNEL and DIGEST_TEAM_CHANNELS name channel…",
    );
  });
});
