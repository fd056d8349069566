import type { PrismaClient } from '../generated/prisma/client.js';

export interface QueueStats {
  pending: number;
  failed: number;
  /** When the oldest pending assessment was submitted; null when none is pending. */
  oldestPendingSince: Date | null;
}

/**
 * The delivery queue as the shared database holds it, so any instance tells the truth for all of them.
 * Two queries, both on the (status, nextAttemptAt) index: a count per status, and the oldest of the
 * pending rows (few, since pending ones are sent within seconds).
 */
export async function readQueueStats(prisma: PrismaClient): Promise<QueueStats> {
  const [counts, oldest] = await Promise.all([
    prisma.assessment.groupBy({
      by: ['status'],
      where: { status: { in: ['pending', 'failed'] } },
      _count: { _all: true },
    }),
    prisma.assessment.findFirst({
      where: { status: 'pending' },
      orderBy: { createdAt: 'asc' },
      select: { createdAt: true },
    }),
  ]);
  const count = (status: string) => counts.find((row) => row.status === status)?._count._all ?? 0;
  return { pending: count('pending'), failed: count('failed'), oldestPendingSince: oldest?.createdAt ?? null };
}
