import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describePeriod, duePeriod, lastScheduledTime } from '../../src/domain/digests/period.js';

const HOUR = 3_600_000;

describe('the digest schedule', () => {
  it('reads the cron expression in the workspace’s time zone', () => {
    // Monday Dec 7, 2026, 09:30 in Berlin (UTC+1): the week ended at 09:00 Berlin, 08:00 UTC.
    const now = new Date('2026-12-07T08:30:00Z');
    assert.equal(lastScheduledTime('0 9 * * 1', 'Europe/Berlin', now)?.toISOString(), '2026-12-07T08:00:00.000Z');
    assert.equal(lastScheduledTime('0 9 * * 1', 'UTC', now)?.toISOString(), '2026-11-30T09:00:00.000Z');
  });

  it('is due from the scheduled time until the catch-up window ends, for the 7 days before it', () => {
    const end = new Date('2026-12-07T09:00:00Z');
    const due = duePeriod('0 9 * * 1', 'UTC', new Date(end.getTime() + HOUR), 12 * HOUR);
    assert.equal(due?.end.toISOString(), end.toISOString());
    assert.equal(due?.start.toISOString(), '2026-11-30T09:00:00.000Z');
    assert.equal(due?.previousStart.toISOString(), '2026-11-23T09:00:00.000Z');
    assert.equal(duePeriod('0 9 * * 1', 'UTC', new Date(end.getTime() + 13 * HOUR), 12 * HOUR), undefined);
  });

  it('names the week by its days in the time zone', () => {
    const due = duePeriod('0 0 * * 1', 'America/New_York', new Date('2026-12-07T06:00:00Z'), 12 * HOUR);
    assert.ok(due, 'due');
    assert.equal(describePeriod(due, 'America/New_York'), 'Nov 30 – Dec 6, 2026');
  });
});
