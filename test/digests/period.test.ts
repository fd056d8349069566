import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describePeriod, duePeriod, lastScheduledTime, weeksEarlier } from '../../src/domain/digests/period.js';

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

  it('counts weeks in the time zone: across a daylight-saving change the week is 167 or 169 hours', () => {
    // New York leaves DST on Sunday Nov 1, 2026: Monday 09:00 EST is 14:00 UTC, the Monday before (EDT) 13:00.
    const end = new Date('2026-11-02T14:00:00Z');
    const due = duePeriod('0 9 * * 1', 'America/New_York', new Date(end.getTime() + HOUR), 12 * HOUR);
    assert.equal(due?.end.toISOString(), end.toISOString());
    assert.equal(due?.start.toISOString(), '2026-10-26T13:00:00.000Z', 'Monday 09:00 EDT');
    assert.equal(due?.previousStart.toISOString(), '2026-10-19T13:00:00.000Z');
    assert.equal(describePeriod(due, 'America/New_York'), 'Oct 26 – Nov 1, 2026');
    // Berlin enters DST on Sunday Mar 28, 2027: the week ending Monday Mar 29, 09:00 CEST has 167 hours.
    const spring = new Date('2027-03-29T07:00:00Z');
    assert.equal(weeksEarlier(spring, 1, 'Europe/Berlin').toISOString(), '2027-03-22T08:00:00.000Z');
    assert.equal(weeksEarlier(spring, 6, 'Europe/Berlin').toISOString(), '2027-02-15T08:00:00.000Z');
    // A time inside the spring-forward gap (02:30 on Mar 28 does not exist in Berlin) is an hour later.
    const after = new Date('2027-04-04T00:30:00Z'); // Sunday Apr 4, 02:30 CEST
    assert.equal(weeksEarlier(after, 1, 'Europe/Berlin').toISOString(), '2027-03-28T01:30:00.000Z');
  });
});
