import { Cron } from 'croner';

const DAY_MS = 24 * 3_600_000;

/**
 * A digest's week: [start, end), and the week before it, [previousStart, start), for the change in scores.
 * Weeks are calendar weeks in the digest's time zone: Monday 09:00 to Monday 09:00 there, which is 167 or
 * 169 hours when a daylight-saving change falls inside.
 */
export interface DigestPeriod {
  start: Date;
  end: Date;
  previousStart: Date;
  /** The time zone its days are counted in (IANA name). */
  timeZone: string;
}

/** The week ending at a scheduled time, in the schedule's time zone. */
export function periodEndingAt(end: Date, timeZone: string): DigestPeriod {
  return {
    start: weeksEarlier(end, 1, timeZone),
    end,
    previousStart: weeksEarlier(end, 2, timeZone),
    timeZone,
  };
}

/** The same wall-clock time `weeks` weeks before `instant`, in `timeZone`. */
export function weeksEarlier(instant: Date, weeks: number, timeZone: string): Date {
  return daysEarlier(instant, weeks * 7, timeZone);
}

/**
 * The same wall-clock time `days` days before `instant`, in `timeZone`. A time that does not exist there
 * (inside a spring-forward gap) comes out as the instant its offset before the gap gives, an hour later.
 */
function daysEarlier(instant: Date, days: number, timeZone: string): Date {
  const wall = wallClockOf(instant, timeZone) - days * DAY_MS;
  // Start from the offset `instant` has and settle on the target's own (two steps suffice; a third is a gap).
  let guess = wall - (wallClockOf(instant, timeZone) - instant.getTime());
  for (let step = 0; step < 3; step += 1) {
    const next = wall - (wallClockOf(new Date(guess), timeZone) - guess);
    if (next === guess) break;
    guess = next;
  }
  return new Date(guess);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall clock in `timeZone` at `instant`, as milliseconds of the same reading in UTC. */
function wallClockOf(instant: Date, timeZone: string): number {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  const parts = format.formatToParts(instant);
  const read = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return (
    Date.UTC(read('year'), read('month') - 1, read('day'), read('hour'), read('minute'), read('second')) +
    instant.getUTCMilliseconds()
  );
}

/** The schedule's most recent time at or before `now`, in its time zone; undefined when it never ran. */
export function lastScheduledTime(cron: string, timeZone: string, now: Date): Date | undefined {
  const job = new Cron(cron, { timezone: timeZone, paused: true });
  try {
    const [last] = job.previousRuns(1, now);
    return last;
  } finally {
    job.stop();
  }
}

/**
 * The week whose digest is due now: the schedule's last time, unless it passed more than `catchUpMs` ago
 * (the app was down over it: a digest days late would only confuse). The caller's database record says
 * whether it was already sent.
 */
export function duePeriod(cron: string, timeZone: string, now: Date, catchUpMs: number): DigestPeriod | undefined {
  const last = lastScheduledTime(cron, timeZone, now);
  if (!last || now.getTime() - last.getTime() > catchUpMs) return undefined;
  return periodEndingAt(last, timeZone);
}

/**
 * "Nov 30 – Dec 6, 2026", the week's days in the digest's time zone: from the start's day to the day before
 * the end's (a week from Monday 09:00 to Monday 09:00 is named Monday to Sunday).
 */
export function describePeriod(period: DigestPeriod, timeZone: string): string {
  const day = new Intl.DateTimeFormat('en-US', { timeZone, month: 'short', day: 'numeric' });
  const year = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric' });
  const lastDay = daysEarlier(period.end, 1, timeZone);
  return `${day.format(period.start)} – ${day.format(lastDay)}, ${year.format(lastDay)}`;
}
