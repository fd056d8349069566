import type { IdentityChange, SyncIdentity, SyncReport } from '../../domain/identities/identity-sync.js';
import type { SlackUser } from '../../domain/identities/slack-user.js';
import type { Identity as IdentityRow, PrismaClient } from '../../generated/prisma/client.js';
import type { SecretBox } from '../../security/secret-box.js';
import { driverSqlOf, sql } from '../driver-sql.js';

export type Role = 'reviewer' | 'admin' | 'none';
export const ROLES: readonly Role[] = ['reviewer', 'admin', 'none'];

/** A person as the app sees them; the sealed Authorization value never leaves this module. */
export interface Identity {
  id: string;
  /** The workspace the identity belongs to; undefined: the single workspace of SLACK_BOT_TOKEN. */
  workspaceId: string | undefined;
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
  /** The workspace to write in (team id, or org id of an org-wide install); undefined: SLACK_BOT_TOKEN's. */
  workspaceId?: string | undefined;
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

/** A Slack user is one person per workspace: linking them to a second identity is refused. */
export class SlackUserTakenError extends Error {
  readonly code = 'slack_user_taken';
  constructor(
    readonly slackUserId: string,
    readonly holderEmail: string,
  ) {
    super(
      `Slack user ${slackUserId} is already linked to ${holderEmail} in this workspace. Unlink that identity first (npm run identities -- remove ${holderEmail}, with the same --workspace), or check the Slack member id.`,
    );
  }
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * The workspace key as the Identity table stores it: "" for the single workspace of SLACK_BOT_TOKEN
 * (never NULL, so that the unique keys hold for it too). The sentinel stays inside this module.
 */
function stored(workspaceId: string | null | undefined): string {
  return workspaceId ?? '';
}

/**
 * The mapping from Slack users to Flex identities, kept per workspace: every read and write names the
 * workspace, so two workspaces may each have a person with the same email without seeing each other.
 */
export class IdentityRepository {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly secretBox?: SecretBox,
  ) {}

  /**
   * The identity linked to this Slack user in the workspace. Slack user ids are unique within a team and,
   * on Enterprise Grid, across the org, so an org-wide install finds the person from any of its teams;
   * one linked in the request's own team is preferred.
   */
  async findBySlackUser(user: SlackUser): Promise<Identity | null> {
    // Asked on every /qm and every submission: sent straight to the driver (see DriverSql).
    const rows = await driverSqlOf(this.prisma).rows<IdentityRow>(sql`SELECT * FROM "Identity"
      WHERE "slackWorkspaceId" = ${stored(user.workspaceId)} AND "slackUserId" = ${user.userId} AND "active" = ${true}
      LIMIT 5`);
    const row = rows.find((r) => r.slackTeamId === user.teamId) ?? rows[0];
    return row ? toIdentity(row) : null;
  }

  async findUnlinkedByEmail(workspaceId: string | undefined, email: string): Promise<Identity | null> {
    const row = await this.prisma.identity.findFirst({
      where: { slackWorkspaceId: stored(workspaceId), email: normaliseEmail(email), active: true, slackUserId: null },
    });
    return row ? toIdentity(row) : null;
  }

  async findDeactivatedByEmail(workspaceId: string | undefined, email: string): Promise<Identity | null> {
    const row = await this.prisma.identity.findFirst({
      where: { slackWorkspaceId: stored(workspaceId), email: normaliseEmail(email), active: false },
    });
    return row ? toIdentity(row) : null;
  }

  /** Links only if nobody linked it meanwhile, and only within the user's workspace: one identity, one person. */
  async linkSlackUser(identityId: string, user: SlackUser): Promise<Identity | null> {
    const { count } = await this.prisma.identity.updateMany({
      where: { id: identityId, slackWorkspaceId: stored(user.workspaceId), slackUserId: null, active: true },
      data: { slackUserId: user.userId, slackTeamId: user.teamId },
    });
    if (count !== 1) return null;
    const row = await this.prisma.identity.findUnique({ where: { id: identityId } });
    return row ? toIdentity(row) : null;
  }

  /** The Slack user of the agent with this Flex agent id, when they are mapped in this workspace. */
  async slackUserOfAgent(agentId: string, workspaceId: string | undefined): Promise<string | undefined> {
    const row = await this.prisma.identity.findFirst({
      where: { slackWorkspaceId: stored(workspaceId), agentId, active: true, slackUserId: { not: null } },
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
    const key = { slackWorkspaceId: stored(input.workspaceId), email };
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
    const existing = await this.prisma.identity.findUnique({ where: { slackWorkspaceId_email: key } });
    if (input.slackUserId) {
      const holder = await this.prisma.identity.findFirst({
        where: {
          slackWorkspaceId: key.slackWorkspaceId,
          slackUserId: input.slackUserId,
          active: true,
          ...(existing ? { id: { not: existing.id } } : {}),
        },
        select: { email: true },
      });
      if (holder) throw new SlackUserTakenError(input.slackUserId, holder.email);
    }
    if (!existing) {
      const row = await this.prisma.identity.create({ data: { ...key, ...data } });
      return { identity: toIdentity(row), outcome: 'added' };
    }
    const changed =
      !existing.active ||
      sealed !== undefined ||
      Object.entries(data).some(([name, value]) => existing[name as keyof IdentityRow] !== value);
    if (!changed) return { identity: toIdentity(existing), outcome: 'unchanged' };
    const row = await this.prisma.identity.update({
      where: { slackWorkspaceId_email: key },
      data: { ...data, active: true },
    });
    return { identity: toIdentity(row), outcome: 'updated' };
  }

  async list(workspaceId: string | undefined): Promise<Identity[]> {
    const rows = await this.prisma.identity.findMany({
      where: { slackWorkspaceId: stored(workspaceId) },
      orderBy: [{ active: 'desc' }, { email: 'asc' }],
    });
    return rows.map(toIdentity);
  }

  /** The teams the workspace's active identities carry (TaskRouter's team_name), by name. */
  async teamNames(workspaceId: string | undefined): Promise<string[]> {
    const rows = await this.prisma.identity.findMany({
      where: { slackWorkspaceId: stored(workspaceId), active: true, teamName: { not: null } },
      select: { teamName: true },
      distinct: ['teamName'],
      orderBy: { teamName: 'asc' },
    });
    return rows.flatMap((row) => (row.teamName ? [row.teamName] : []));
  }

  /** Every identity of the workspace, inactive ones too, as the sync compares them with Flex. */
  async listForSync(workspaceId: string | undefined): Promise<SyncIdentity[]> {
    return this.prisma.identity.findMany({
      where: { slackWorkspaceId: stored(workspaceId) },
      select: {
        id: true,
        email: true,
        flexUserName: true,
        agentId: true,
        teamName: true,
        flexWorkerSid: true,
        slackTeamId: true,
        slackUserId: true,
        active: true,
      },
    });
  }

  /**
   * Applies a sync of one workspace in one transaction and records its report. Deactivations go first, so
   * a Slack user freed by one can be linked by another. A new identity gets role none; existing roles are kept.
   */
  async applySync(
    workspaceId: string | undefined,
    changes: IdentityChange[],
    deactivateIds: string[],
    report: SyncReport,
    startedBy: string,
  ): Promise<void> {
    const slackWorkspaceId = stored(workspaceId);
    await this.prisma.$transaction(async (tx) => {
      if (deactivateIds.length > 0) {
        await tx.identity.updateMany({
          where: { id: { in: deactivateIds }, slackWorkspaceId },
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
          ...(change.teamName !== undefined ? { teamName: change.teamName } : {}),
          ...(change.slack ? { slackTeamId: change.slack.teamId, slackUserId: change.slack.userId } : {}),
        };
        if (change.id) {
          const { count } = await tx.identity.updateMany({ where: { id: change.id, slackWorkspaceId }, data });
          if (count !== 1) throw new Error(`Identity ${change.id} is not in workspace ${workspaceId ?? '(single)'}.`);
        } else await tx.identity.create({ data: { ...data, slackWorkspaceId, role: 'none' } });
      }
      await tx.identitySyncRun.create({
        data: {
          slackWorkspaceId,
          startedBy,
          startedAt: new Date(report.startedAt),
          report: JSON.stringify(report),
        },
      });
    });
  }

  /** The report of the workspace's last sync that ran for real. */
  async lastSyncReport(workspaceId: string | undefined): Promise<SyncReport | undefined> {
    const run = await this.prisma.identitySyncRun.findFirst({
      where: { slackWorkspaceId: stored(workspaceId) },
      orderBy: { finishedAt: 'desc' },
    });
    if (!run) return undefined;
    try {
      return JSON.parse(run.report) as SyncReport;
    } catch {
      return undefined;
    }
  }

  /** Active admins of the workspace who can be reached in Slack. */
  async admins(workspaceId: string | undefined): Promise<Identity[]> {
    const rows = await this.prisma.identity.findMany({
      where: { slackWorkspaceId: stored(workspaceId), role: 'admin', active: true, slackUserId: { not: null } },
      orderBy: { email: 'asc' },
    });
    return rows.map(toIdentity);
  }

  async findActiveByEmail(workspaceId: string | undefined, email: string): Promise<Identity | null> {
    const row = await this.prisma.identity.findFirst({
      where: { slackWorkspaceId: stored(workspaceId), email: normaliseEmail(email), active: true },
    });
    return row ? toIdentity(row) : null;
  }

  async findById(id: string): Promise<Identity | null> {
    const row = await this.prisma.identity.findUnique({ where: { id } });
    return row ? toIdentity(row) : null;
  }

  /** Deactivates rather than deletes: past assessments stay attributed to the person. */
  async remove(workspaceId: string | undefined, emailOrSlackUserId: string): Promise<boolean> {
    const key = emailOrSlackUserId.trim();
    const { count } = await this.prisma.identity.updateMany({
      where: {
        slackWorkspaceId: stored(workspaceId),
        active: true,
        OR: [{ email: normaliseEmail(key) }, { slackUserId: key }],
      },
      data: { active: false, slackUserId: null, slackTeamId: null },
    });
    return count > 0;
  }
}

function toIdentity(row: IdentityRow): Identity {
  return {
    id: row.id,
    workspaceId: row.slackWorkspaceId === '' ? undefined : row.slackWorkspaceId,
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
