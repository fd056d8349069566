import { safeErrorMessage } from '../../logging/redaction.js';

/** Where the schedule lives: one row per workspace, claimed by one instance per interval. */
export interface RefreshSchedule {
  /** The workspaces to refresh (null: the single workspace of SLACK_BOT_TOKEN). */
  workspaces(): Promise<Array<string | null>>;
  /**
   * Takes this interval's refresh of the workspace when it is due, moving the next one an interval on in
   * the same conditional write; false when another instance took it or it is not due yet.
   */
  claim(workspaceId: string | null, now: Date, intervalMs: number): Promise<boolean>;
  finished(workspaceId: string | null, now: Date, result: string): Promise<void>;
}

/**
 * Keeps each workspace's questionnaires in step with Flex (QUESTIONNAIRE_SYNC_INTERVAL_MINUTES): every
 * instance looks now and then, and the one whose claim moves the workspace's due time on syncs it, so
 * instances sharing the database sync once per interval between them.
 */
export class QuestionnaireRefresh {
  private readonly now: () => Date;

  constructor(
    private readonly deps: {
      schedule: RefreshSchedule;
      /** Reads the questionnaires from Flex into the database; a summary for the record. */
      sync(workspaceId: string | null): Promise<string>;
      intervalMs: number;
      onError: (workspaceId: string | null, error: unknown) => void;
      now?: () => Date;
    },
  ) {
    this.now = deps.now ?? (() => new Date());
  }

  /** One look: syncs each workspace whose refresh is due and this instance claimed; how many it synced. */
  async runOnce(): Promise<number> {
    const { schedule, intervalMs } = this.deps;
    let synced = 0;
    for (const workspaceId of await schedule.workspaces()) {
      if (!(await schedule.claim(workspaceId, this.now(), intervalMs))) continue;
      let result: string;
      try {
        result = await this.deps.sync(workspaceId);
        synced += 1;
      } catch (error) {
        this.deps.onError(workspaceId, error);
        result = `failed: ${safeErrorMessage(error)}`;
      }
      await schedule.finished(workspaceId, this.now(), result);
    }
    return synced;
  }
}
