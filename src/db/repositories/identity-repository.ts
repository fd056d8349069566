import type { IdentityChange, SyncIdentity, SyncReport } from '../../domain/identities/identity-sync.js';
import type { Identity as IdentityRow, PrismaClient } from '../../generated/prisma/client.js';
import type { SecretBox } from '../../security/secret-box.js';

export type Role = 'reviewer' | 'admin' | 'none';
export const ROLES: readonly Role[] = ['reviewer', 'admin', 'none'];

/** A person as the app sees them; the sealed Authorization value never leaves this module. */
export interface Identity {
  id: string;
  email: string;
  flexUserName: string;
  slackTeamId: string | null;
  slackUserId: string | null;
  agentId: string | null;
  flexWorkerSid: string | null;
  role: Role;
  active: boolean;
  hasFlexAuthorization: boolean;
}

export interface IdentityInput {
  email: string;
  flexUserName: string;
  slackUserId?: string | null | undefined;
  slackTeamId?: string | null | undefined;
  agentId?: string | null | undefined;
  role?: Role | undefined;
  /** A Flex user's Authorization value; null removes a stored one, undefined keeps it. */
  flexAuthorization?: string | null | undefined;
}

export class MissingSecretsKeyError extends Error {
  readonly code = 'secrets_key_missing';
  constructor() {
    super('Storing a Flex Authorization value needs SECRETS_KEY (32 random bytes: openssl rand -base64 32).');
  }
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The mapping from Slack users to Flex identities. */
export class IdentityRepository {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly secretBox?: SecretBox,
    /**
     * With one workspace (SLACK_BOT_TOKEN), imports often lack the Slack team, so an identity with no
     * team matches any. With many (OAuth installs), an identity belongs to the team it was linked in.
     */
    private readonly options: { singleWorkspace: boolean } = { singleWorkspace: true },
  ) {}

  private inTeam(teamId: string) {
    return this.options.singleWorkspace
      ? { OR: [{ slackTeamId: teamId }, { slackTeamId: null }] }
      : { slackTeamId: teamId };
  }

  async findBySlackUser(teamId: string, userId: string): Promise<Identity | null> {
    const row = await this.prisma.identity.findFirst({
      where: { slackUserId: userId, active: true, ...this.inTeam(teamId) },
      orderBy: { slackTeamId: 'desc' },
    });
    return row ? toIdentity(row) : null;
  }

  async findUnlinkedByEmail(email: string): Promise<Identity | null> {
    const row = await this.prisma.identity.findFirst({
      where: { email: normaliseEmail(email), active: true, slackUserId: null },
    });
    return row ? toIdentity(row) : null;
  }

  async findDeactivatedByEmail(email: string): Promise<Identity | null> {
    const row = await this.prisma.identity.findFirst({ where: { email: normaliseEmail(email), active: false } });
    return row ? toIdentity(row) : null;
  }

  /** Links only if nobody linked it meanwhile: two people can never claim one identity. */
  async linkSlackUser(identityId: string, teamId: string, userId: string): Promise<Identity | null> {
    const { count } = await this.prisma.identity.updateMany({
      where: { id: identityId, slackUserId: null, active: true },
      data: { slackUserId: userId, slackTeamId: teamId },
    });
    if (count !== 1) return null;
    const row = await this.prisma.identity.findUnique({ where: { id: identityId } });
    return row ? toIdentity(row) : null;
  }

  /** The Slack user of the agent with this Flex agent id, when they are mapped in this team. */
  async slackUserOfAgent(agentId: string, teamId: string): Promise<string | undefined> {
    const row = await this.prisma.identity.findFirst({
      where: { agentId, active: true, slackUserId: { not: null }, ...this.inTeam(teamId) },
      select: { slackUserId: true },
    });
    return row?.slackUserId ?? undefined;
  }

  /**
   * Reads that ask for the same identity while one is under way share it (a backlog's deliveries start
   * together, often for one reviewer); nothing is kept once it is answered.
   */
  flexAuthorizationOf(identityId: string): Promise<string | undefined> {
    let read = this.authorizationReads.get(identityId);
    if (!read) {
      read = this.readFlexAuthorization(identityId).finally(() => this.authorizationReads.delete(identityId));
      this.authorizationReads.set(identityId, read);
    }
    return read;
  }

  private readonly authorizationReads = new Map<string, Promise<string | undefined>>();

  private async readFlexAuthorization(identityId: string): Promise<string | undefined> {
    const row = await this.prisma.identity.findUnique({
      where: { id: identityId },
      select: { flexAuthorizationSealed: true },
    });
    if (!row?.flexAuthorizationSealed) return undefined;
    if (!this.secretBox) throw new MissingSecretsKeyError();
    return this.secretBox.open(row.flexAuthorizationSealed);
  }

  async upsertByEmail(
    input: IdentityInput,
  ): Promise<{ identity: Identity; outcome: 'added' | 'updated' | 'unchanged' }> {
    const email = normaliseEmail(input.email);
    let sealed: string | null | undefined;
    if (input.flexAuthorization === null) sealed = null;
    else if (input.flexAuthorization !== undefined) {
      if (!this.secretBox) throw new MissingSecretsKeyError();
      sealed = this.secretBox.seal(input.flexAuthorization);
    }
    const data = {
      flexUserName: input.flexUserName.trim(),
      ...(input.slackUserId !== undefined ? { slackUserId: input.slackUserId } : {}),
      ...(input.slackTeamId !== undefined ? { slackTeamId: input.slackTeamId } : {}),
      ...(input.agentId !== undefined ? { agentId: input.agentId } : {}),
      ...(input.role !== undefined ? { role: input.role } : {}),
      ...(sealed !== undefined ? { flexAuthorizationSealed: sealed } : {}),
    };
    const existing = await this.prisma.identity.findUnique({ where: { email } });
    if (!existing) {
      const row = await this.prisma.identity.create({ data: { email, ...data } });
      return { identity: toIdentity(row), outcome: 'added' };
    }
    const changed =
      !existing.active ||
      sealed !== undefined ||
      Object.entries(data).some(([key, value]) => existing[key as keyof IdentityRow] !== value);
    if (!changed) return { identity: toIdentity(existing), outcome: 'unchanged' };
    const row = await this.prisma.identity.update({ where: { email }, data: { ...data, active: true } });
    return { identity: toIdentity(row), outcome: 'updated' };
  }

  async list(): Promise<Identity[]> {
    const rows = await this.prisma.identity.findMany({ orderBy: [{ active: 'desc' }, { email: 'asc' }] });
    return rows.map(toIdentity);
  }

  /** Every identity, inactive ones too, as the sync compares them with Flex. */
  async listForSync(): Promise<SyncIdentity[]> {
    return this.prisma.identity.findMany({
      select: {
        id: true,
        email: true,
        flexUserName: true,
        agentId: true,
        flexWorkerSid: true,
        slackTeamId: true,
        slackUserId: true,
        active: true,
      },
    });
  }

  /**
   * Applies a sync in one transaction and records its report. Deactivations go first, so a Slack user
   * freed by one can be linked by another. A new identity gets role none; existing roles are kept.
   */
  async applySync(
    changes: IdentityChange[],
    deactivateIds: string[],
    report: SyncReport,
    startedBy: string,
  ): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      if (deactivateIds.length > 0) {
        await tx.identity.updateMany({
          where: { id: { in: deactivateIds } },
          data: { active: false, slackUserId: null, slackTeamId: null },
        });
      }
      for (const change of changes) {
        const data = {
          email: change.email,
          flexUserName: change.flexUserName,
          flexWorkerSid: change.flexWorkerSid,
          active: true,
          ...(change.agentId !== undefined ? { agentId: change.agentId } : {}),
          ...(change.slack ? { slackTeamId: change.slack.teamId, slackUserId: change.slack.userId } : {}),
        };
        if (change.id) await tx.identity.update({ where: { id: change.id }, data });
        else await tx.identity.create({ data: { ...data, role: 'none' } });
      }
      await tx.identitySyncRun.create({
        data: { startedBy, startedAt: new Date(report.startedAt), report: JSON.stringify(report) },
      });
    });
  }

  /** The report of the last sync that ran for real. */
  async lastSyncReport(): Promise<SyncReport | undefined> {
    const run = await this.prisma.identitySyncRun.findFirst({ orderBy: { finishedAt: 'desc' } });
    if (!run) return undefined;
    try {
      return JSON.parse(run.report) as SyncReport;
    } catch {
      return undefined;
    }
  }

  /** Active admins who can be reached in this Slack team. */
  async admins(teamId: string): Promise<Identity[]> {
    const rows = await this.prisma.identity.findMany({
      where: { role: 'admin', active: true, slackUserId: { not: null }, ...this.inTeam(teamId) },
      orderBy: { email: 'asc' },
    });
    return rows.map(toIdentity);
  }

  async findActiveByEmail(email: string): Promise<Identity | null> {
    const row = await this.prisma.identity.findFirst({ where: { email: normaliseEmail(email), active: true } });
    return row ? toIdentity(row) : null;
  }

  async findById(id: string): Promise<Identity | null> {
    const row = await this.prisma.identity.findUnique({ where: { id } });
    return row ? toIdentity(row) : null;
  }

  /** Deactivates rather than deletes: past assessments stay attributed to the person. */
  async remove(emailOrSlackUserId: string): Promise<boolean> {
    const key = emailOrSlackUserId.trim();
    const { count } = await this.prisma.identity.updateMany({
      where: { active: true, OR: [{ email: normaliseEmail(key) }, { slackUserId: key }] },
      data: { active: false, slackUserId: null, slackTeamId: null },
    });
    return count > 0;
  }
}

function toIdentity(row: IdentityRow): Identity {
  return {
    id: row.id,
    email: row.email,
    flexUserName: row.flexUserName,
    slackTeamId: row.slackTeamId,
    slackUserId: row.slackUserId,
    agentId: row.agentId,
    flexWorkerSid: row.flexWorkerSid,
    role: (ROLES as readonly string[]).includes(row.role) ? (row.role as Role) : 'none',
    active: row.active,
    hasFlexAuthorization: row.flexAuthorizationSealed !== null,
  };
}
