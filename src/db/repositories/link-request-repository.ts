import { z } from 'zod';
import type { LinkRequest, LinkRequestStore, LinkStatus } from '../../domain/identities/link-requests.js';
import type { PrismaClient, LinkRequest as Row } from '../../generated/prisma/client.js';

const messagesSchema = z.array(z.object({ channel: z.string(), ts: z.string() }));

/** Requests to be linked to a Flex identity, and the admin DMs that carry their buttons. */
export class LinkRequestRepository implements LinkRequestStore {
  constructor(private readonly prisma: PrismaClient) {}

  async findPending(teamId: string, userId: string): Promise<LinkRequest | null> {
    const row = await this.prisma.linkRequest.findFirst({
      where: { slackTeamId: teamId, slackUserId: userId, status: 'pending' },
      orderBy: { createdAt: 'desc' },
    });
    return row ? toRequest(row) : null;
  }

  async create(identityId: string, teamId: string, userId: string): Promise<LinkRequest> {
    return toRequest(
      await this.prisma.linkRequest.create({ data: { identityId, slackTeamId: teamId, slackUserId: userId } }),
    );
  }

  async retarget(id: string, identityId: string): Promise<LinkRequest | null> {
    const { count } = await this.prisma.linkRequest.updateMany({
      where: { id, status: 'pending' },
      data: { identityId },
    });
    return count === 1 ? this.get(id) : null;
  }

  async recordAttempt(teamId: string, userId: string, since: Date): Promise<number> {
    await this.prisma.linkAttempt.create({ data: { slackTeamId: teamId, slackUserId: userId } });
    // Asks older than the window count for nothing; now and then they are cleared away (one in 50 asks).
    if (Math.random() < 0.02) await this.prisma.linkAttempt.deleteMany({ where: { createdAt: { lt: since } } });
    return this.prisma.linkAttempt.count({
      where: { slackTeamId: teamId, slackUserId: userId, createdAt: { gte: since } },
    });
  }

  async get(id: string): Promise<LinkRequest | null> {
    const row = await this.prisma.linkRequest.findUnique({ where: { id } });
    return row ? toRequest(row) : null;
  }

  async setAdminMessages(id: string, messages: Array<{ channel: string; ts: string }>): Promise<void> {
    await this.prisma.linkRequest.update({ where: { id }, data: { adminMessages: JSON.stringify(messages) } });
  }

  /** Only a pending request can be decided, once: a second click finds it decided and changes nothing. */
  async decide(id: string, status: Exclude<LinkStatus, 'pending'>, adminUserId: string): Promise<boolean> {
    const { count } = await this.prisma.linkRequest.updateMany({
      where: { id, status: 'pending' },
      data: { status, decidedBySlackUserId: adminUserId, decidedAt: new Date() },
    });
    return count === 1;
  }
}

function toRequest(row: Row): LinkRequest {
  const parsedMessages = messagesSchema.safeParse(safeJson(row.adminMessages));
  return {
    id: row.id,
    identityId: row.identityId,
    slackTeamId: row.slackTeamId,
    slackUserId: row.slackUserId,
    status: row.status === 'approved' || row.status === 'rejected' ? row.status : 'pending',
    decidedBySlackUserId: row.decidedBySlackUserId,
    adminMessages: parsedMessages.success ? parsedMessages.data : [],
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return [];
  }
}
