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

describe('the fake Slack’s org-wide installs (Enterprise Grid)', () => {
  let slack: FakeSlackApi;
  const noToken = () => new webApi.WebClient(undefined, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
  const error = async (call: Promise<unknown>) => {
    try {
      await call;
      return 'ok';
    } catch (e) {
      return (e as { data?: { error?: string } }).data?.error ?? String(e);
    }
  };
  const start = (orgDeploy: boolean) =>
    FakeSlackApi.start({ oauth: { ...CLIENT, redirectUrls: [REDIRECT], orgDeploy } }).then((fake) => {
      fake.addEnterprise({ enterpriseId: 'E0GRID0001', enterpriseName: 'Grid Co', domain: 'gridco' });
      fake.addTeam({ teamId: 'T0GRIDA001', teamName: 'Grid A', enterpriseId: 'E0GRID0001' });
      fake.addTeam({ teamId: 'T0GRIDB001', teamName: 'Grid B', enterpriseId: 'E0GRID0001' });
      fake.addTeam({ teamId: 'T0OUTSIDE1', teamName: 'Outside' });
      return fake;
    });
  const orgCode = (authorizeUrl = AUTHORIZE) =>
    new URL(
      slack.approveInstall(authorizeUrl, { enterpriseId: 'E0GRID0001', userId: 'W0ORGADMIN', orgWide: true }),
    ).searchParams.get('code') ?? '';

  after(() => slack.close());

  it('refuses an org-wide install unless the app has org deploy on', async () => {
    slack = await start(false);
    assert.throws(() => orgCode(), /org_deploy_not_enabled/);
    await slack.close();
    slack = await start(true);
  });

  it('answers an org-wide install with the org and no team, and one token for every team of the org', async () => {
    const granted = await noToken().oauth.v2.access({
      code: orgCode(),
      client_id: CLIENT.clientId,
      client_secret: CLIENT.clientSecret,
      redirect_uri: REDIRECT,
    });
    assert.equal(granted.is_enterprise_install, true);
    assert.equal(granted.team, null);
    assert.deepEqual(granted.enterprise, { id: 'E0GRID0001', name: 'Grid Co' });
    assert.equal(granted.bot_user_id, slack.botUserOf('E0GRID0001'));
    const org = new webApi.WebClient(granted.access_token, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    const me = await org.auth.test();
    assert.equal(me.is_enterprise_install, true);
    assert.equal(me.enterprise_id, 'E0GRID0001');
    assert.equal(me.url, 'https://gridco.enterprise.slack.com/');

    slack.addChannel({ id: 'C0GRIDB001', name: 'b-only' }, 'T0GRIDB001');
    slack.addChannel({ id: 'C0OUTSIDE1', name: 'outside' }, 'T0OUTSIDE1');
    // A channel of one of the org's teams is found without team_id; a team outside the org is refused.
    assert.equal(await error(org.chat.postMessage({ channel: 'C0GRIDB001', text: 'hi' })), 'ok');
    assert.equal(slack.calls('chat.postMessage').at(-1)?.teamId, 'T0GRIDB001');
    assert.equal(slack.calls('chat.postMessage').at(-1)?.enterpriseId, 'E0GRID0001');
    const outside = new webApi.WebClient(granted.access_token, {
      slackApiUrl: slack.apiUrl,
      retryConfig: { retries: 0 },
      teamId: 'T0OUTSIDE1',
    });
    assert.equal(
      await error(outside.chat.postMessage({ channel: 'C0OUTSIDE1', text: 'hi' })),
      'team_access_not_granted',
    );
    assert.equal(await error(org.chat.postMessage({ channel: 'C0OUTSIDE1', text: 'hi' })), 'channel_not_found');
    const inA = new webApi.WebClient(granted.access_token, {
      slackApiUrl: slack.apiUrl,
      retryConfig: { retries: 0 },
      teamId: 'T0GRIDA001',
    });
    assert.equal(
      await error(
        inA.views.open({
          trigger_id: slack.issueTriggerId({ teamId: 'T0GRIDA001' }),
          view: { type: 'modal', title: { type: 'plain_text', text: 'Hi' }, blocks: [] },
        }),
      ),
      'ok',
    );

    slack.uninstall('E0GRID0001');
    assert.equal(await error(org.auth.test()), 'token_revoked');
  });
});
