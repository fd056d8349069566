import type { Category as CategoryRow, PrismaClient } from '../../generated/prisma/client.js';

export interface Category {
  id: string;
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

/** The QM comment categories (Flex's comment tags) the modal offers. */
export class CategoryRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async listActive(): Promise<Category[]> {
    const rows = await this.prisma.category.findMany({
      where: { active: true },
      orderBy: [{ sort: 'asc' }, { name: 'asc' }],
    });
    return rows.map(toCategory);
  }

  async findActive(id: string): Promise<Category | null> {
    const row = await this.prisma.category.findFirst({ where: { id, active: true } });
    return row ? toCategory(row) : null;
  }

  /** Where a category's assessments are announced; null uses the default channel. */
  async setNotifyChannel(id: string, channelId: string | null): Promise<boolean> {
    const { count } = await this.prisma.category.updateMany({ where: { id }, data: { notifyChannelId: channelId } });
    return count === 1;
  }

  async notifyChannelOf(id: string): Promise<string | undefined> {
    const row = await this.prisma.category.findUnique({ where: { id }, select: { notifyChannelId: true } });
    return row?.notifyChannelId ?? undefined;
  }

  async list(): Promise<Category[]> {
    const rows = await this.prisma.category.findMany({
      orderBy: [{ active: 'desc' }, { sort: 'asc' }, { name: 'asc' }],
    });
    return rows.map(toCategory);
  }

  async add(input: { id: string; name: string }): Promise<{ category: Category; outcome: 'added' | 'updated' }> {
    const existing = await this.prisma.category.findUnique({ where: { id: input.id } });
    const row = await this.prisma.category.upsert({
      where: { id: input.id },
      create: { id: input.id, name: input.name, source: 'manual' },
      update: { name: input.name, active: true },
    });
    return { category: toCategory(row), outcome: existing ? 'updated' : 'added' };
  }

  /** Makes the active Flex categories exactly Flex's list; categories added by hand are left alone. */
  async syncFromFlex(
    categories: Array<{ id: string; name: string; isDefault: boolean; sort: number }>,
  ): Promise<SyncReport> {
    return this.prisma.$transaction(async (tx) => {
      const report: SyncReport = { added: 0, updated: 0, deactivated: 0, unchanged: 0 };
      const existing = new Map((await tx.category.findMany()).map((row) => [row.id, row]));
      for (const category of categories) {
        const row = existing.get(category.id);
        const data = {
          name: category.name,
          isDefault: category.isDefault,
          sort: category.sort,
          active: true,
          source: 'flex',
        };
        if (!row) {
          await tx.category.create({ data: { id: category.id, ...data } });
          report.added += 1;
        } else if (
          row.name !== data.name ||
          row.isDefault !== data.isDefault ||
          row.sort !== data.sort ||
          !row.active ||
          row.source !== 'flex'
        ) {
          await tx.category.update({ where: { id: category.id }, data });
          report.updated += 1;
        } else {
          report.unchanged += 1;
        }
      }
      const listed = new Set(categories.map((c) => c.id));
      const gone = [...existing.values()].filter((row) => row.source === 'flex' && row.active && !listed.has(row.id));
      if (gone.length > 0) {
        await tx.category.updateMany({ where: { id: { in: gone.map((row) => row.id) } }, data: { active: false } });
      }
      report.deactivated = gone.length;
      return report;
    });
  }
}

function toCategory(row: CategoryRow): Category {
  return {
    id: row.id,
    name: row.name,
    active: row.active,
    isDefault: row.isDefault,
    sort: row.sort,
    source: row.source === 'flex' ? 'flex' : 'manual',
    notifyChannelId: row.notifyChannelId,
  };
}
