import type { Assessment } from '../../domain/assessments/assessment.js';

export interface MissedNoticesDeps {
  assessments: { settledWithoutNotice(settledBefore: Date, limit: number): Promise<Assessment[]> };
  notifier: { reportMissed(assessment: Assessment): Promise<void> };
  /** How long after settling an assessment its own instance has to tell the reviewer. */
  graceMs: number;
  now?: () => Date;
}

/**
 * The reviewer is told what became of their comment even when the instance that settled it was
 * killed before telling them: any instance picks such an assessment up once the grace has passed.
 * The notifier's claim (reviewerNotifiedAt) keeps it to one message.
 */
export class MissedNotices {
  private readonly now: () => Date;

  constructor(private readonly deps: MissedNoticesDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async runOnce(limit = 20): Promise<number> {
    const before = new Date(this.now().getTime() - this.deps.graceMs);
    const missed = await this.deps.assessments.settledWithoutNotice(before, limit);
    for (const assessment of missed) await this.deps.notifier.reportMissed(assessment);
    return missed.length;
  }
}
