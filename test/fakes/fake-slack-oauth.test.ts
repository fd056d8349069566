import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { webApi } from '@slack/bolt';
import { FakeSlackApi } from './fake-slack-api.js';

const CLIENT = { clientId: '111.222', clientSecret: 'shh-secret' };
const REDIRECT = 'https://qm.example.test/slack/oauth_redirect';
const AUTHORIZE = `https://slack.com/oauth/v2/authorize?scope=chat:write,commands&state=st4te&client_id=${CLIENT.clientId}&redirect_uri=${encodeURIComponent(REDIRECT)}`;

describe('the fake Slack’s OAuth', () => {
  let slack: FakeSlackApi;
  let clock = Date.now();
  const noToken = () => new webApi.WebClient(undefined, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
  const error = async (call: Promise<unknown>) => {
    try {
      await call;
      return 'ok';
    } catch (e) {
      return (e as { data?: { error?: string } }).data?.error ?? String(e);
    }
  };
  const codeFrom = (teamId: string, authorizeUrl = AUTHORIZE) => {
    const back = new URL(slack.approveInstall(authorizeUrl, { teamId, userId: 'U0INSTALL1' }));
    assert.equal(back.origin + back.pathname, REDIRECT);
    assert.equal(back.searchParams.get('state'), 'st4te');
    return back.searchParams.get('code') ?? '';
  };

  before(async () => {
    slack = await FakeSlackApi.start({
      now: () => clock,
      oauth: { ...CLIENT, redirectUrls: [REDIRECT], tokenRotation: true, tokenLifetimeSeconds: 3_600 },
    });
    slack.addTeam({ teamId: 'T0ONE00001', teamName: 'One' });
    slack.addTeam({ teamId: 'T0TWO00001', teamName: 'Two' });
  });
  after(() => slack.close());

  it('exchanges a code once, with the app’s credentials and the same redirect_uri, for a team’s bot token', async () => {
    const code = codeFrom('T0ONE00001');
    const args = { code, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret, redirect_uri: REDIRECT };
    assert.equal(await error(noToken().oauth.v2.access({ ...args, client_secret: 'wrong' })), 'bad_client_secret');
    assert.equal(await error(noToken().oauth.v2.access({ ...args, client_id: '999.999' })), 'invalid_client_id');
    assert.equal(
      await error(noToken().oauth.v2.access({ ...args, redirect_uri: 'https://evil.example/slack/oauth_redirect' })),
      'bad_redirect_uri',
    );
    const granted = await noToken().oauth.v2.access(args);
    assert.equal(granted.team?.id, 'T0ONE00001');
    assert.equal(granted.token_type, 'bot');
    assert.equal(granted.scope, 'chat:write,commands');
    assert.equal(granted.expires_in, 3_600);
    assert.match(granted.refresh_token ?? '', /^xoxe-1-/);
    assert.equal(await error(noToken().oauth.v2.access(args)), 'invalid_code', 'a code works once');

    const client = new webApi.WebClient(granted.access_token, {
      slackApiUrl: slack.apiUrl,
      retryConfig: { retries: 0 },
    });
    const me = await client.auth.test();
    assert.equal(me.team_id, 'T0ONE00001');
    assert.equal(me.user_id, slack.botUserOf('T0ONE00001'));
  });

  it('refuses a redirect_uri the app did not register, and an unknown client on the consent page', () => {
    assert.throws(
      () => codeFrom('T0ONE00001', AUTHORIZE.replace(encodeURIComponent(REDIRECT), 'https%3A%2F%2Fevil.example%2Fcb')),
      /bad_redirect_uri/,
    );
    assert.throws(() => codeFrom('T0ONE00001', AUTHORIZE.replace(CLIENT.clientId, '999.999')), /invalid_client_id/);
  });

  it('keeps teams apart: a token works in its own team only, and expires, and a refresh token works once', async () => {
    const granted = await noToken().oauth.v2.access({
      code: codeFrom('T0TWO00001'),
      client_id: CLIENT.clientId,
      client_secret: CLIENT.clientSecret,
      redirect_uri: REDIRECT,
    });
    slack.addChannel({ id: 'C0ONLYONE1', name: 'one-only' }, 'T0ONE00001');
    const two = new webApi.WebClient(granted.access_token, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    assert.equal(await error(two.chat.postMessage({ channel: 'C0ONLYONE1', text: 'hi' })), 'channel_not_found');

    clock += 3_601_000;
    assert.equal(await error(two.auth.test()), 'token_expired');
    const refresh = {
      grant_type: 'refresh_token' as const,
      refresh_token: granted.refresh_token ?? '',
      client_id: CLIENT.clientId,
      client_secret: CLIENT.clientSecret,
    };
    const renewed = await noToken().oauth.v2.access(refresh);
    assert.notEqual(renewed.access_token, granted.access_token);
    assert.equal(await error(noToken().oauth.v2.access(refresh)), 'invalid_refresh_token');
    const fresh = new webApi.WebClient(renewed.access_token, {
      slackApiUrl: slack.apiUrl,
      retryConfig: { retries: 0 },
    });
    assert.equal((await fresh.auth.test()).team_id, 'T0TWO00001');

    slack.uninstall('T0TWO00001');
    assert.equal(await error(fresh.auth.test()), 'token_revoked');
  });
});
