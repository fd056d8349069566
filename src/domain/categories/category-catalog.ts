export interface CategoryOption {
  id: string;
  name: string;
  isDefault: boolean;
}

/**
 * The active categories, held in memory so a modal can be built the instant a command arrives
 * (Slack's trigger dies after 3 seconds); refreshed from the database in the background.
 */
export class CategoryCatalog {
  private categories: CategoryOption[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly source: { listActive(): Promise<CategoryOption[]> },
    private readonly refreshIntervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  current(): CategoryOption[] {
    return this.categories;
  }

  /** The active category with this id as of the last refresh (at most the refresh interval old). */
  find(id: string): CategoryOption | undefined {
    return this.categories.find((category) => category.id === id);
  }

  async refresh(): Promise<CategoryOption[]> {
    this.categories = await this.source.listActive();
    return this.categories;
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
