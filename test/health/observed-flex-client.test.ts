import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createFlexClient, type FlexClient } from '../../src/flex/flex-client.js';
import { observedFlexClient } from '../../src/health/observed-flex-client.js';
import { ServiceStatus } from '../../src/health/service-status.js';
import { COMMENTS_PATH, FakeFlexApi, twilioErrorAnswer } from '../fakes/fake-flex-api.js';

const SEGMENT = '0105be7a-9b87-51f1-8df8-aa74ddb9c4a7';

// What /readyz says of Flex comes from the last Flex call; the history's calls are Flex calls like any other.
describe('the last Flex call of /qm history, as the observed client records it', () => {
  let flex: FakeFlexApi;
  let raw: FlexClient;
  const status = new ServiceStatus();
  const last = () => {
    const call = status.lastCall('flex');
    return [call?.result, call?.call, call?.detail];
  };

  before(async () => {
    flex = await FakeFlexApi.start();
    raw = createFlexClient({
      baseUrl: flex.baseUrl,
      credentials: { username: flex.accountSid, password: flex.authToken },
      timeoutMs: 10_000,
    });
  });
  after(async () => {
    await raw.close();
    await flex.close();
  });

  it('ok; a reviewer’s own authorization refused, which says nothing of the app’s; the app’s refused', async () => {
    const observed = observedFlexClient(raw, status);

    await observed.listCallComments(SEGMENT);
    assert.deepEqual(last(), ['ok', 'listCallComments', undefined]);

    await assert.rejects(observed.listCallAnswers(SEGMENT, { authorization: 'Token nobody-knows-it' }));
    assert.deepEqual(last(), ['answered_error', 'listCallAnswers', 'HTTP 401, Twilio error 20003']);
    assert.equal(status.refused('flex'), false);

    flex.failNext(twilioErrorAnswer(401, 20003, 'Authenticate', { path: COMMENTS_PATH }));
    await assert.rejects(observed.countCallComments(SEGMENT));
    assert.deepEqual(last(), ['refused', 'countCallComments', 'HTTP 401, Twilio error 20003']);
    assert.equal(status.refused('flex'), true);
  });
});
