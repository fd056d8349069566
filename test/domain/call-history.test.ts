import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CallHistoryReader, type HeldComment, type HeldOnCall } from '../../src/domain/calls/call-history.js';

const SEGMENT = '0105be7a-9b87-51f1-8df8-aa74ddb9c4a7';

function comment(sid: string, segmentId: string | null): HeldComment {
  return {
    assessmentSid: sid,
    segmentId,
    text: sid,
    categoryName: 'Compliance',
    offsetSeconds: 1,
    userName: 'Flex Account',
    userEmail: null,
    createdAt: new Date(0),
  };
}

function reader(overrides: {
  flex?: Partial<HeldOnCall>;
  flexAuthorizationOf?: () => Promise<string | undefined>;
  pendingFails?: boolean;
}) {
  const calls: Array<{ authorization?: string }> = [];
  const flex: HeldOnCall = {
    listComments: async () => ({ items: [comment('FM1', SEGMENT), comment('FM2', 'another-call')], complete: true }),
    listAnswers: async (_segment, options = {}) => {
      calls.push(options);
      return { items: [], complete: true };
    },
    countComments: async () => ({ count: 0, more: false }),
    ...overrides.flex,
  };
  const history = new CallHistoryReader({
    flex,
    pending: {
      pendingFor: async () => {
        if (overrides.pendingFails) throw new Error('database gone');
        return [];
      },
      postedFor: async () => new Map([['FM1', 'U0REVIEW1']]),
    },
    credentials: { flexAuthorizationOf: overrides.flexAuthorizationOf ?? (async () => undefined) },
    countTimeoutMs: 50,
  });
  return { history, calls };
}

describe('reading a call’s history', () => {
  it('keeps the call’s own comments, and names who posted them from Slack', async () => {
    const { history } = reader({});
    const read = await history.read(SEGMENT, undefined, { identityId: 'i1' });
    assert.deepEqual(
      read.entries.map((e) => [e.kind, e.author.slackUserId]),
      [['comment', 'U0REVIEW1']],
    );
    assert.deepEqual(read.problems, []);
  });

  it('reads the viewer’s own answers with their authorization; one that cannot be opened costs only those', async () => {
    const own = reader({ flexAuthorizationOf: async () => 'Token own' });
    await own.history.read(SEGMENT, undefined, { identityId: 'i1' });
    assert.deepEqual(own.calls, [{}, { authorization: 'Token own' }]);

    const sealed = reader({
      flexAuthorizationOf: async () => {
        throw new Error('SECRETS_KEY cannot open it');
      },
    });
    const read = await sealed.history.read(SEGMENT, undefined, { identityId: 'i1' });
    assert.deepEqual(
      read.problems.map((p) => p.what),
      ['own answers'],
    );
    assert.equal(read.entries.length, 1, 'the comments are still shown');
  });

  it('reports the app’s database failing, since then nothing it holds can be said', async () => {
    await assert.rejects(reader({ pendingFails: true }).history.read(SEGMENT, undefined), /database gone/);
  });

  it('counts within its time, and says nothing when Flex is slower or fails', async () => {
    // Answers only after the reader's 50 ms (this timer, unlike the reader's, keeps the test running).
    const slow = reader({
      flex: {
        countComments: () => new Promise((resolve) => setTimeout(() => resolve({ count: 9, more: false }), 500)),
      },
    });
    assert.equal(await slow.history.countComments(SEGMENT), undefined);
    const failing = reader({
      flex: {
        countComments: async () => {
          throw new Error('503');
        },
      },
    });
    assert.equal(await failing.history.countComments(SEGMENT), undefined);
  });
});
