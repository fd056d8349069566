import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FlexRejectedError } from '../../src/flex/errors.js';
import { createTaskRouterClient, readWorker } from '../../src/flex/taskrouter-client.js';
import { FakeTaskRouterApi } from '../fakes/fake-taskrouter-api.js';

const SID = `WK${'a'.repeat(32)}`;

describe('readWorker', () => {
  it('reads email, full name and agent id from the attributes JSON', () => {
    const worker = readWorker({
      sid: SID,
      friendly_name: 'ana',
      attributes: JSON.stringify({ email: ' Ana@Example.COM ', full_name: 'Ana Lopez', agent_id: 42, routing: {} }),
    });
    assert.deepEqual(worker, {
      sid: SID,
      friendlyName: 'ana',
      email: 'ana@example.com',
      fullName: 'Ana Lopez',
      agentId: '42',
    });
  });

  it('reads the team Flex Insights groups agents by (team_name), for the per-team digests', () => {
    const worker = readWorker({
      sid: SID,
      friendly_name: 'ana',
      attributes: { email: 'ana@example.com', team_name: ' Billing\u0007 ', team_id: 't1' },
    });
    assert.equal('teamName' in worker ? worker.teamName : undefined, 'Billing');
    const none = readWorker({
      sid: SID,
      friendly_name: 'ana',
      attributes: { email: 'ana@example.com', team_name: '' },
    });
    assert.equal('teamName' in none, false);
  });

  it('says what is wrong with a worker it cannot use, instead of failing', () => {
    const problem = (attributes: unknown, sid = SID) => {
      const read = readWorker({ sid, friendly_name: 'x', attributes });
      return 'problem' in read ? read.problem : 'read';
    };
    assert.equal(problem('{"email":'), 'attributes are not valid JSON');
    assert.equal(problem('[1]'), 'attributes are not a JSON object');
    assert.equal(problem('{}'), 'attributes have no email');
    assert.equal(problem('{"email":"not-an-email"}'), 'attributes.email is not an email address');
    assert.equal(problem('{"email":"a@b.co"}', 'XX1'), 'sid is not a Worker SID (WK…)');
    assert.equal(problem('{"email":"a@b.co"}'), 'read');
  });
});

describe('the TaskRouter client against the fake TaskRouter', () => {
  let fake: FakeTaskRouterApi;
  before(async () => {
    fake = await FakeTaskRouterApi.start({ maxPageSize: 3 });
    fake.setWorkers(
      Array.from({ length: 8 }, (_, i) =>
        FakeTaskRouterApi.worker({ email: `w${i}@example.com`, full_name: `W ${i}` }),
      ),
    );
  });
  after(async () => {
    await fake.close();
  });

  const client = (authToken = fake.authToken, workspaceSid = fake.workspaceSid) =>
    createTaskRouterClient({
      baseUrl: fake.baseUrl,
      workspaceSid,
      credentials: { username: fake.accountSid, password: authToken },
      timeoutMs: 10_000,
    });

  it('reads every page by following meta.next_page_url, with basic auth on each', async () => {
    const tr = client();
    try {
      const start = fake.requests.length;
      const { workers, broken } = await tr.listWorkers();
      assert.equal(workers.length, 8);
      assert.equal(broken.length, 0);
      const requests = fake.requests.slice(start);
      assert.equal(requests.length, 3);
      assert.ok(
        requests.every((r) => r.headers.authorization?.startsWith('Basic ')),
        "requests.every((r) => r.headers.authorization?.startsWith('Basic '))",
      );
      assert.equal(requests[0]?.query.get('PageSize'), '1000');
    } finally {
      await tr.close();
    }
  });

  it('explains refused credentials and an unknown workspace', async () => {
    const wrong = client('wrong');
    const unknown = client(fake.authToken, `WS${'b'.repeat(32)}`);
    try {
      await assert.rejects(wrong.listWorkers(), (error: unknown) => {
        assert.ok(error instanceof FlexRejectedError, 'error instanceof FlexRejectedError');
        assert.match(error.message, /refused the app's credentials \(Twilio error 20003/);
        return true;
      });
      await assert.rejects(unknown.listWorkers(), /TaskRouter has no such workspace .*TASKROUTER_WORKSPACE_SID/);
    } finally {
      await wrong.close();
      await unknown.close();
    }
  });
});
