/**
 * Which workspaces have questionnaires to score with, in memory, so that the comment form and the call
 * preview (built inside Slack's 3 seconds) offer "Score this call" only where it leads somewhere.
 * Refreshed every `intervalMs` and at once after a sync; until the first load, nothing is offered.
 */
export class ScoringOffered {
  private workspaces = new Set<string>();

  constructor(private readonly load: () => Promise<readonly string[]>) {}

  /** null: the single workspace of SLACK_BOT_TOKEN. */
  offered(workspaceId: string | null | undefined): boolean {
    return this.workspaces.has(workspaceId ?? '');
  }

  async refresh(): Promise<void> {
    this.workspaces = new Set(await this.load());
  }
}
