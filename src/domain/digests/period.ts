import { Cron } from 'croner';

const WEEK_MS = 7 * 24 * 3_600_000;

/** A digest's week: [start, end), and the week before it, [previousStart, start), for the change in scores. */
export interface DigestPeriod {
  start: Date;
  end: Date;
  previousStart: Date;
}

/** The week ending at a scheduled time (7 × 24 hours; a week across a DST change is an hour off, on purpose). */
export function periodEndingAt(end: Date): DigestPeriod {
  return {
    start: new Date(end.getTime() - WEEK_MS),
    end,
    previousStart: new Date(end.getTime() - 2 * WEEK_MS),
  };
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
  return periodEndingAt(last);
}

/** "Nov 30 – Dec 6, 2026", the week's days in the digest's time zone (the end is exclusive: the day before it). */
export function describePeriod(period: DigestPeriod, timeZone: string): string {
  const day = new Intl.DateTimeFormat('en-US', { timeZone, month: 'short', day: 'numeric' });
  const year = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric' });
  const lastDay = new Date(period.end.getTime() - 1);
  return `${day.format(period.start)} – ${day.format(lastDay)}, ${year.format(lastDay)}`;
}
