export interface CategoryOption {
  id: string;
  name: string;
  isDefault: boolean;
}

/** A category as the catalog loads it: with the workspace that offers it (null: the single workspace). */
export interface WorkspaceCategory extends CategoryOption {
  workspaceId: string | null;
}

/**
 * The active categories, held in memory so a modal can be built the instant a command arrives
 * (Slack's trigger dies after 3 seconds); refreshed from the database in the background.
 */
export class CategoryCatalog {
  private byWorkspace = new Map<string | null, CategoryOption[]>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly source: { listActive(): Promise<WorkspaceCategory[]> },
    private readonly refreshIntervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** The categories one workspace offers (null: the single workspace of SLACK_BOT_TOKEN). */
  current(workspaceId: string | null = null): CategoryOption[] {
    return this.byWorkspace.get(workspaceId) ?? [];
  }

  /** The active category with this id in a workspace, as of the last refresh (at most the refresh interval old). */
  find(id: string, workspaceId: string | null = null): CategoryOption | undefined {
    return this.current(workspaceId).find((category) => category.id === id);
  }

  async refresh(): Promise<void> {
    const next = new Map<string | null, CategoryOption[]>();
    for (const { workspaceId, id, name, isDefault } of await this.source.listActive()) {
      const list = next.get(workspaceId) ?? [];
      list.push({ id, name, isDefault });
      next.set(workspaceId, list);
    }
    this.byWorkspace = next;
  }

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => this.refresh().catch(this.onError), this.refreshIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
