import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { PrismaClient, Installation as Row } from '../../generated/prisma/client.js';
import type { SecretBox } from '../../security/secret-box.js';

/** Thrown by fetchInstallation when the workspace has not installed the app (or uninstalled it). */
export class InstallationNotFoundError extends Error {
  readonly code = 'installation_not_found';
  constructor(readonly query: { teamId?: string | undefined; enterpriseId?: string | undefined }) {
    super(
      `Flex QM is not installed in ${query.teamId ? `workspace ${query.teamId}` : `org ${query.enterpriseId ?? '(unknown)'}`}: install it from /slack/install.`,
    );
  }
}

/**
 * Bolt's InstallationStore on the database: one row per workspace, or per Enterprise Grid org for an
 * org-wide install. Every token (bot, user, refresh) is sealed with SECRETS_KEY before it is written,
 * so the database alone never gives a usable token. Storing is an upsert: Bolt stores again after a
 * token rotation, with the new token, refresh token and expiry.
 */
export class InstallationRepository implements InstallationStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly box: SecretBox,
  ) {}

  async storeInstallation<AuthVersion extends 'v1' | 'v2'>(
    installation: Installation<AuthVersion, boolean>,
  ): Promise<void> {
    const isEnterpriseInstall = installation.isEnterpriseInstall === true;
    const key = isEnterpriseInstall ? installation.enterprise?.id : installation.team?.id;
    if (!key) throw new Error('An installation names neither its workspace nor, for an org-wide install, its org.');
    const { bot, user } = installation;
    const seal = (value: string | undefined) => (value ? this.box.seal(value) : null);
    const data = {
      teamId: installation.team?.id ?? null,
      teamName: installation.team?.name ?? null,
      enterpriseId: installation.enterprise?.id ?? null,
      enterpriseName: installation.enterprise?.name ?? null,
      enterpriseUrl: typeof installation.enterpriseUrl === 'string' ? installation.enterpriseUrl : null,
      isEnterpriseInstall,
      appId: typeof installation.appId === 'string' ? installation.appId : null,
      authVersion: installation.authVersion ?? 'v2',
      tokenType: installation.tokenType ?? null,
      botId: bot?.id ?? null,
      botUserId: bot?.userId ?? null,
      botScopes: bot?.scopes.join(',') ?? null,
      botTokenSealed: seal(bot?.token),
      botRefreshTokenSealed: seal(bot?.refreshToken),
      botTokenExpiresAt: bot?.expiresAt ? new Date(bot.expiresAt * 1000) : null,
      installerUserId: user.id,
      userScopes: user.scopes?.join(',') ?? null,
      userTokenSealed: seal(user.token),
      userRefreshTokenSealed: seal(typeof user.refreshToken === 'string' ? user.refreshToken : undefined),
      userTokenExpiresAt: typeof user.expiresAt === 'number' ? new Date(user.expiresAt * 1000) : null,
    };
    await this.prisma.installation.upsert({ where: { id: key }, create: { id: key, ...data }, update: data });
  }

  /** The workspace's own installation, else its org's org-wide one; throws when there is none. */
  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation<'v1' | 'v2', boolean>> {
    const row = await this.find(query);
    if (!row) throw new InstallationNotFoundError(query);
    return this.toInstallation(row);
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    const row = await this.find(query);
    if (row) await this.prisma.installation.deleteMany({ where: { id: row.id } });
  }

  /** The query Bolt's authorize takes for a workspace key (team id, or org id of an org-wide install). */
  async queryFor(workspaceId: string): Promise<InstallationQuery<boolean> | undefined> {
    const row = await this.prisma.installation.findUnique({ where: { id: workspaceId } });
    if (!row) return undefined;
    return row.isEnterpriseInstall && row.enterpriseId
      ? { isEnterpriseInstall: true, enterpriseId: row.enterpriseId, teamId: undefined }
      : { isEnterpriseInstall: false, teamId: row.teamId ?? row.id, enterpriseId: row.enterpriseId ?? undefined };
  }

  /** The key the workspace's data is kept under: its own installation's, else its org's org-wide one. */
  async workspaceOf(teamId: string | undefined, enterpriseId: string | undefined): Promise<string | undefined> {
    const row = await this.find({ teamId, enterpriseId, isEnterpriseInstall: false });
    return row?.id;
  }

  /** `app_uninstalled`: forgets the installation of the workspace (or org) the event came from. */
  async removeWorkspace(workspaceIds: Array<string | undefined>): Promise<number> {
    const ids = workspaceIds.filter((id): id is string => Boolean(id));
    const { count } = await this.prisma.installation.deleteMany({ where: { id: { in: ids } } });
    return count;
  }

  /**
   * `tokens_revoked`: a revoked bot token takes its installation with it (nothing is left to act with);
   * revoked user tokens are forgotten and the installation kept.
   */
  async revokeTokens(
    workspaceIds: Array<string | undefined>,
    revoked: { botUserIds: string[]; userIds: string[] },
  ): Promise<{ installationsRemoved: number; userTokensRemoved: number }> {
    const ids = workspaceIds.filter((id): id is string => Boolean(id));
    const removed =
      revoked.botUserIds.length > 0
        ? await this.prisma.installation.deleteMany({
            where: { id: { in: ids }, botUserId: { in: revoked.botUserIds } },
          })
        : { count: 0 };
    const cleared =
      revoked.userIds.length > 0
        ? await this.prisma.installation.updateMany({
            where: { id: { in: ids }, installerUserId: { in: revoked.userIds }, userTokenSealed: { not: null } },
            data: { userTokenSealed: null, userRefreshTokenSealed: null, userTokenExpiresAt: null, userScopes: null },
          })
        : { count: 0 };
    return { installationsRemoved: removed.count, userTokensRemoved: cleared.count };
  }

  private async find(query: {
    teamId?: string | undefined;
    enterpriseId?: string | undefined;
    isEnterpriseInstall?: boolean;
  }): Promise<Row | null> {
    if (query.isEnterpriseInstall && query.enterpriseId) {
      return this.prisma.installation.findFirst({ where: { id: query.enterpriseId, isEnterpriseInstall: true } });
    }
    if (query.teamId) {
      const own = await this.prisma.installation.findUnique({ where: { id: query.teamId } });
      if (own) return own;
    }
    // A workspace of an org that installed the app org-wide is served by the org's installation.
    return query.enterpriseId
      ? this.prisma.installation.findFirst({ where: { id: query.enterpriseId, isEnterpriseInstall: true } })
      : null;
  }

  private toInstallation(row: Row): Installation<'v1' | 'v2', boolean> {
    const open = (sealed: string | null) => (sealed ? this.box.open(sealed) : undefined);
    const seconds = (date: Date | null) => (date ? Math.floor(date.getTime() / 1000) : undefined);
    const botToken = open(row.botTokenSealed);
    const botRefreshToken = open(row.botRefreshTokenSealed);
    const userRefreshToken = open(row.userRefreshTokenSealed);
    return {
      team: row.teamId ? { id: row.teamId, ...(row.teamName ? { name: row.teamName } : {}) } : undefined,
      enterprise: row.enterpriseId
        ? { id: row.enterpriseId, ...(row.enterpriseName ? { name: row.enterpriseName } : {}) }
        : undefined,
      isEnterpriseInstall: row.isEnterpriseInstall,
      authVersion: row.authVersion === 'v1' ? 'v1' : 'v2',
      ...(row.appId ? { appId: row.appId } : {}),
      ...(row.enterpriseUrl ? { enterpriseUrl: row.enterpriseUrl } : {}),
      ...(row.tokenType === 'bot' ? { tokenType: 'bot' as const } : {}),
      user: {
        id: row.installerUserId,
        token: open(row.userTokenSealed),
        scopes: row.userScopes ? row.userScopes.split(',') : undefined,
        ...(userRefreshToken ? { refreshToken: userRefreshToken, expiresAt: seconds(row.userTokenExpiresAt) } : {}),
      },
      ...(botToken && row.botId && row.botUserId
        ? {
            bot: {
              token: botToken,
              id: row.botId,
              userId: row.botUserId,
              scopes: row.botScopes ? row.botScopes.split(',') : [],
              ...(botRefreshToken ? { refreshToken: botRefreshToken, expiresAt: seconds(row.botTokenExpiresAt) } : {}),
            },
          }
        : {}),
    } as Installation<'v1' | 'v2', boolean>;
  }
}
