/**
 * Slack's side of OAuth v2 for one app: the consent page (modelled as `approve`), authorization codes
 * (10 minutes, single use, bound to the redirect_uri the consent page was opened with), bot tokens per
 * team, and, with token rotation on, expiring tokens (12 h) with single-use refresh tokens. An app with
 * org deploy on can also be installed org-wide by an Enterprise Grid org: one token, owned by the org
 * (`team: null`, `enterprise`, `is_enterprise_install: true`), for every workspace of the org.
 */
import { randomBytes } from 'node:crypto';
import { failure, type Json, stringArg } from './wire.js';

export interface OAuthAppOptions {
  clientId: string;
  clientSecret: string;
  /** The Redirect URLs registered for the app; a redirect_uri must be one of them. */
  redirectUrls: string[];
  /** Token rotation on: tokens expire (`expires_in`) and come with refresh tokens. */
  tokenRotation?: boolean;
  /** Lifetime of rotating tokens, in seconds; Slack's is 12 hours. */
  tokenLifetimeSeconds?: number;
  /** The app's `org_deploy_enabled`: only then can an Enterprise Grid org install it org-wide. */
  orgDeploy?: boolean;
}

export interface IssuedToken {
  token: string;
  /** Who owns it: the team that installed the app, or the org of an org-wide install. */
  teamId: string;
  /** An org-wide install's token: `teamId` is then the org (enterprise) id. */
  orgWide?: boolean;
  /** ms since epoch on the fake's clock; undefined for tokens that never expire. */
  expiresAt?: number;
  revoked?: boolean;
}

interface PendingCode {
  /** The installing team, or the org of an org-wide install. */
  teamId: string;
  orgWide: boolean;
  userId: string;
  scopes: string[];
  redirectUri: string | undefined;
  issuedAt: number;
  used: boolean;
}

interface RefreshGrant {
  teamId: string;
  orgWide: boolean;
  current: boolean;
}

export interface InstallingTeam {
  teamId: string;
  teamName: string;
  botUserId: string;
  appId: string;
  /** Set for a team of an Enterprise Grid org. */
  enterprise?: { id: string; name: string };
}

/** An Enterprise Grid org installing the app org-wide. */
export interface InstallingOrg {
  enterpriseId: string;
  enterpriseName: string;
  botUserId: string;
  appId: string;
}

/** Who clicks Allow: a person of a team, or an org admin installing for the whole org. */
export type Installer = { teamId: string; userId: string } | { enterpriseId: string; userId: string; orgWide: true };

const CODE_TTL_MS = 10 * 60_000;

export class OAuthApp {
  readonly tokens = new Map<string, IssuedToken>();
  private readonly codes = new Map<string, PendingCode>();
  private readonly refreshTokens = new Map<string, RefreshGrant>();

  constructor(
    readonly options: OAuthAppOptions,
    private readonly now: () => number,
  ) {}

  /**
   * What slack.com/oauth/v2/authorize does when a person in `teamId` clicks Allow: checks the app's
   * link and answers with where the browser goes next (the redirect URL with code and state).
   */
  approve(authorizeUrl: string, who: Installer): string {
    const url = new URL(authorizeUrl);
    const orgWide = 'orgWide' in who;
    if (orgWide && !this.options.orgDeploy) throw new Error('org_deploy_not_enabled: turn on org deploy for the app');
    if (url.searchParams.get('client_id') !== this.options.clientId) throw new Error('invalid_client_id');
    const scopes = (url.searchParams.get('scope') ?? '').split(',').filter(Boolean);
    if (scopes.length === 0) throw new Error('invalid_scope');
    const asked = url.searchParams.get('redirect_uri') ?? undefined;
    if (asked !== undefined && !this.options.redirectUrls.includes(asked)) throw new Error('bad_redirect_uri');
    const target = asked ?? this.options.redirectUrls[0];
    if (!target) throw new Error('no_redirect_url');
    const code = `${Math.floor(this.now() / 1000)}.${randomBytes(12).toString('hex')}`;
    this.codes.set(code, {
      teamId: orgWide ? who.enterpriseId : who.teamId,
      orgWide,
      userId: who.userId,
      scopes,
      redirectUri: asked,
      issuedAt: this.now(),
      used: false,
    });
    const back = new URL(target);
    back.searchParams.set('code', code);
    const state = url.searchParams.get('state');
    if (state !== null) back.searchParams.set('state', state);
    return back.toString();
  }

  /** oauth.v2.access: a code exchange, or a refresh (grant_type=refresh_token). */
  access(
    args: Json,
    basicAuth: { id: string; secret: string } | undefined,
    team: (id: string) => InstallingTeam,
    org: (id: string) => InstallingOrg,
  ): Json {
    const clientId = basicAuth?.id ?? stringArg(args, 'client_id');
    const clientSecret = basicAuth?.secret ?? stringArg(args, 'client_secret');
    if (!clientId) return failure('invalid_client_id');
    if (clientId !== this.options.clientId) return failure('invalid_client_id');
    if (clientSecret !== this.options.clientSecret) return failure('bad_client_secret');
    if (stringArg(args, 'grant_type') === 'refresh_token') return this.refresh(args, team, org);
    const code = stringArg(args, 'code');
    const pending = code ? this.codes.get(code) : undefined;
    if (!pending || this.now() - pending.issuedAt > CODE_TTL_MS) return failure('invalid_code');
    if (pending.used) return failure('invalid_code');
    if (pending.redirectUri !== undefined && stringArg(args, 'redirect_uri') !== pending.redirectUri) {
      return failure('bad_redirect_uri');
    }
    pending.used = true;
    return {
      ...this.owner(pending.teamId, pending.orgWide, team, org),
      authed_user: { id: pending.userId },
      scope: pending.scopes.join(','),
      ...this.issue(pending.teamId, pending.orgWide),
    };
  }

  /** What oauth.v2.access says about who installed: a team (of an org, or not), or an org-wide install. */
  private owner(
    id: string,
    orgWide: boolean,
    team: (id: string) => InstallingTeam,
    org: (id: string) => InstallingOrg,
  ): Json {
    if (orgWide) {
      const installing = org(id);
      return {
        ok: true,
        app_id: installing.appId,
        token_type: 'bot',
        bot_user_id: installing.botUserId,
        team: null,
        enterprise: { id: installing.enterpriseId, name: installing.enterpriseName },
        is_enterprise_install: true,
      };
    }
    const installing = team(id);
    return {
      ok: true,
      app_id: installing.appId,
      token_type: 'bot',
      bot_user_id: installing.botUserId,
      team: { id: installing.teamId, name: installing.teamName },
      enterprise: installing.enterprise ?? null,
      is_enterprise_install: false,
    };
  }

  /** The team's newest usable bot token. */
  currentToken(teamId: string): string | undefined {
    return [...this.tokens.values()].filter((t) => t.teamId === teamId && !t.revoked).at(-1)?.token;
  }

  /** Uninstalling (or revoking) ends every token of the team. */
  revokeAll(teamId: string): void {
    for (const token of this.tokens.values()) if (token.teamId === teamId) token.revoked = true;
    for (const grant of this.refreshTokens.values()) if (grant.teamId === teamId) grant.current = false;
  }

  private refresh(args: Json, team: (id: string) => InstallingTeam, org: (id: string) => InstallingOrg): Json {
    const refreshToken = stringArg(args, 'refresh_token');
    const grant = refreshToken ? this.refreshTokens.get(refreshToken) : undefined;
    if (!grant?.current) return failure('invalid_refresh_token');
    grant.current = false;
    return {
      ...this.owner(grant.teamId, grant.orgWide, team, org),
      scope: '',
      ...this.issue(grant.teamId, grant.orgWide),
    };
  }

  private issue(teamId: string, orgWide: boolean): Json {
    const owner = orgWide ? { teamId, orgWide } : { teamId };
    if (!this.options.tokenRotation) {
      const token = `xoxb-${teamId}-${randomBytes(12).toString('hex')}`;
      this.tokens.set(token, { token, ...owner });
      return { access_token: token };
    }
    const lifetime = this.options.tokenLifetimeSeconds ?? 43_200;
    const token = `xoxe.xoxb-1-${teamId}-${randomBytes(12).toString('hex')}`;
    const refreshToken = `xoxe-1-${randomBytes(16).toString('hex')}`;
    this.tokens.set(token, { token, ...owner, expiresAt: this.now() + lifetime * 1000 });
    this.refreshTokens.set(refreshToken, { teamId, orgWide, current: true });
    return { access_token: token, refresh_token: refreshToken, expires_in: lifetime };
  }
}
