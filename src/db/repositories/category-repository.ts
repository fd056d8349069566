import type { Category as CategoryRow, PrismaClient } from '../../generated/prisma/client.js';

export interface Category {
  /** The Flex comment tag id. */
  id: string;
  /** The workspace that offers it (team id, or org id of an org-wide install); null: the single workspace. */
  workspaceId: string | null;
  name: string;
  active: boolean;
  isDefault: boolean;
  sort: number;
  source: 'flex' | 'manual';
  notifyChannelId: string | null;
}

export interface SyncReport {
  added: number;
  updated: number;
  deactivated: number;
  unchanged: number;
}

/**
 * The QM comment categories (Flex's comment tags) the modal offers, kept per Slack workspace. The
 * single workspace's rows (workspace null) are keyed by the Flex id, as before OAuth installs; an
 * installed workspace's rows by `<workspace>:<Flex id>`, so each workspace has its own list and settings.
 */
export class CategoryRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Every workspace's active categories; the catalog sorts them by workspace. */
  async listActive(): Promise<Category[]> {
    const rows = await this.prisma.category.findMany({
      where: { active: true },
      orderBy: [{ sort: 'asc' }, { name: 'asc' }],
    });
    return rows.map(toCategory);
  }

  async findActive(id: string, workspaceId: string | null = null): Promise<Category | null> {
    const row = await this.prisma.category.findFirst({ where: { id: rowId(workspaceId, id), active: true } });
    return row ? toCategory(row) : null;
  }

  /** Where a category's assessments are announced; null uses the default channel. */
  async setNotifyChannel(id: string, channelId: string | null, workspaceId: string | null = null): Promise<boolean> {
    const { count } = await this.prisma.category.updateMany({
      where: { id: rowId(workspaceId, id) },
      data: { notifyChannelId: channelId },
    });
    return count === 1;
  }

  async notifyChannelOf(id: string, workspaceId: string | null = null): Promise<string | undefined> {
    const row = await this.prisma.category.findUnique({
      where: { id: rowId(workspaceId, id) },
      select: { notifyChannelId: true },
    });
    return row?.notifyChannelId ?? undefined;
  }

  /** One workspace's categories (undefined: every workspace's). */
  async list(workspaceId?: string | null): Promise<Category[]> {
    const rows = await this.prisma.category.findMany({
      ...(workspaceId !== undefined ? { where: { slackTeamId: workspaceId } } : {}),
      orderBy: [{ slackTeamId: 'asc' }, { active: 'desc' }, { sort: 'asc' }, { name: 'asc' }],
    });
    return rows.map(toCategory);
  }

  async add(
    input: { id: string; name: string },
    workspaceId: string | null = null,
  ): Promise<{ category: Category; outcome: 'added' | 'updated' }> {
    const id = rowId(workspaceId, input.id);
    const existing = await this.prisma.category.findUnique({ where: { id } });
    const row = await this.prisma.category.upsert({
      where: { id },
      create: { id, ...workspaceColumns(workspaceId, input.id), name: input.name, source: 'manual' },
      update: { name: input.name, active: true },
    });
    return { category: toCategory(row), outcome: existing ? 'updated' : 'added' };
  }

  /** Stops offering a category; its row (and the assessments that name it) stay. False when there is none. */
  async deactivate(id: string, workspaceId: string | null = null): Promise<Category | null> {
    const key = rowId(workspaceId, id);
    const { count } = await this.prisma.category.updateMany({ where: { id: key }, data: { active: false } });
    if (count === 0) return null;
    return toCategory(await this.prisma.category.findUniqueOrThrow({ where: { id: key } }));
  }

  /** Deletes a category; assessments keep the name they were given. Null when there is none. */
  async remove(id: string, workspaceId: string | null = null): Promise<Category | null> {
    const key = rowId(workspaceId, id);
    const row = await this.prisma.category.findUnique({ where: { id: key } });
    if (!row) return null;
    await this.prisma.category.delete({ where: { id: key } });
    return toCategory(row);
  }

  /** Makes a workspace's active Flex categories exactly Flex's list; categories added by hand are left alone. */
  async syncFromFlex(
    categories: Array<{ id: string; name: string; isDefault: boolean; sort: number }>,
    workspaceId: string | null = null,
  ): Promise<SyncReport> {
    return this.prisma.$transaction(async (tx) => {
      const report: SyncReport = { added: 0, updated: 0, deactivated: 0, unchanged: 0 };
      const existing = new Map(
        (await tx.category.findMany({ where: { slackTeamId: workspaceId } })).map((row) => [row.id, row]),
      );
      for (const category of categories) {
        const id = rowId(workspaceId, category.id);
        const row = existing.get(id);
        const data = {
          name: category.name,
          isDefault: category.isDefault,
          sort: category.sort,
          active: true,
          source: 'flex',
        };
        if (!row) {
          await tx.category.create({ data: { id, ...workspaceColumns(workspaceId, category.id), ...data } });
          report.added += 1;
        } else if (
          row.name !== data.name ||
          row.isDefault !== data.isDefault ||
          row.sort !== data.sort ||
          !row.active ||
          row.source !== 'flex'
        ) {
          await tx.category.update({ where: { id }, data });
          report.updated += 1;
        } else {
          report.unchanged += 1;
        }
      }
      const listed = new Set(categories.map((c) => rowId(workspaceId, c.id)));
      const gone = [...existing.values()].filter((row) => row.source === 'flex' && row.active && !listed.has(row.id));
      if (gone.length > 0) {
        await tx.category.updateMany({ where: { id: { in: gone.map((row) => row.id) } }, data: { active: false } });
      }
      report.deactivated = gone.length;
      return report;
    });
  }
}

function rowId(workspaceId: string | null, flexId: string): string {
  return workspaceId ? `${workspaceId}:${flexId}` : flexId;
}

function workspaceColumns(workspaceId: string | null, flexId: string) {
  return workspaceId ? { slackTeamId: workspaceId, flexCategoryId: flexId } : {};
}

function toCategory(row: CategoryRow): Category {
  return {
    id: row.flexCategoryId ?? row.id,
    workspaceId: row.slackTeamId,
    name: row.name,
    active: row.active,
    isDefault: row.isDefault,
    sort: row.sort,
    source: row.source === 'flex' ? 'flex' : 'manual',
    notifyChannelId: row.notifyChannelId,
  };
}
