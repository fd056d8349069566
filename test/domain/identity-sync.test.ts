import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type IdentityChange,
  type SyncIdentity,
  type SyncPorts,
  type SyncWorker,
  syncIdentities,
} from '../../src/domain/identities/identity-sync.js';

const sid = (n: number) => `WK${String(n).padStart(32, '0')}`;
const worker = (n: number, email: string): SyncWorker => ({
  sid: sid(n),
  friendlyName: `w${n}`,
  email,
  fullName: `Worker ${n}`,
  agentId: undefined,
});
const identity = (id: string, email: string, extra: Partial<SyncIdentity> = {}): SyncIdentity => ({
  id,
  email,
  flexUserName: email,
  agentId: null,
  flexWorkerSid: null,
  slackTeamId: null,
  slackUserId: null,
  active: true,
  ...extra,
});

/** In-memory ports: what Flex and Slack hold, and what the sync applied. */
function ports(workers: SyncWorker[], identities: SyncIdentity[], slack: Record<string, string>) {
  const applied: { changes: IdentityChange[]; deactivated: string[] }[] = [];
  const asked: string[] = [];
  const p: SyncPorts = {
    listWorkers: async () => ({ workers, broken: [] }),
    listIdentities: async () => identities,
    lookupSlackUser: async (email) => {
      asked.push(email);
      const userId = slack[email];
      return userId ? { teamId: 'T1', userId } : null;
    },
    apply: async (changes, deactivated) => {
      applied.push({ changes, deactivated });
    },
  };
  return { p, applied, asked };
}

describe('syncIdentities', () => {
  it('leaves alone a worker whose Slack user is already linked to someone else', async () => {
    const { p, applied } = ports(
      [worker(1, 'new@example.com')],
      [identity('i-old', 'old@example.com', { slackTeamId: 'T1', slackUserId: 'U1' })],
      { 'new@example.com': 'U1' },
    );
    const report = await syncIdentities(p, { dryRun: false });
    assert.deepEqual(
      report.ambiguous.map((a) => a.reason),
      ['its Slack user <@U1> is already linked to old@example.com'],
    );
    assert.equal(applied[0]?.changes[0]?.slack, undefined, 'the identity is created, but not linked');
    assert.equal(report.flexWithoutSlack.length, 1);
  });

  it('does not move an email onto a worker while another identity holds it', async () => {
    const { p } = ports(
      [worker(1, 'taken@example.com')],
      [identity('i-1', 'before@example.com', { flexWorkerSid: sid(1) }), identity('i-2', 'taken@example.com')],
      {},
    );
    const report = await syncIdentities(p, { dryRun: false });
    assert.match(report.ambiguous[0]?.reason ?? '', /already another identity's/);
    assert.deepEqual(report.updated, []);
  });

  it('deactivates nothing when Flex answers with no workers at all', async () => {
    const { p, applied } = ports([], [identity('i-1', 'a@example.com', { flexWorkerSid: sid(1) })], {});
    const report = await syncIdentities(p, { dryRun: false });
    assert.deepEqual(report.deactivated, []);
    assert.deepEqual(applied[0]?.deactivated, []);
  });

  it('adopts a hand-made identity by email and reactivates a returning worker, asking Slack about both', async () => {
    const { p, asked } = ports(
      [worker(1, 'hand@example.com'), worker(2, 'back@example.com')],
      [
        identity('i-hand', 'hand@example.com', { slackTeamId: 'T1', slackUserId: 'U0HAND' }),
        identity('i-back', 'back@example.com', { flexWorkerSid: sid(2), active: false }),
      ],
      { 'back@example.com': 'U0BACK' },
    );
    const report = await syncIdentities(p, { dryRun: true });
    assert.deepEqual(asked, ['back@example.com'], 'a linked identity with the same email is not asked about');
    assert.deepEqual(
      report.updated.map((u) => [u.email, u.changes]),
      [
        ['hand@example.com', ['name hand@example.com → Worker 1', `Flex worker ${sid(1)}`]],
        ['back@example.com', ['reactivated', 'name back@example.com → Worker 2', 'linked to Slack user U0BACK']],
      ],
    );
    assert.equal(report.matched.length, 2);
  });
});
