import { webApi } from '@slack/bolt';

/** What Bolt's context says about where a request came from. */
export interface RequestWorkspace {
  teamId?: string | undefined;
  enterpriseId?: string | undefined;
  isEnterpriseInstall?: boolean | undefined;
}

/** Thrown when a workspace's messages should be sent but it has no installation (never, or uninstalled). */
export class WorkspaceNotInstalledError extends Error {
  readonly code = 'workspace_not_installed';
  constructor(readonly workspaceId: string | undefined) {
    super(
      workspaceId
        ? `Flex QM is not installed in Slack workspace ${workspaceId} any more, so nothing can be sent there; a Slack admin can install it again from /slack/install.`
        : 'This assessment was made before the app was installed by OAuth and names no workspace, so there is no token to send its messages with.',
    );
  }
}

/**
 * The Slack workspaces the app serves: the one of SLACK_BOT_TOKEN, or every workspace (and Enterprise
 * Grid org) that installed it by OAuth. Says which workspace a request belongs to, the key its
 * categories and assessments are kept under, and gives clients with that workspace's bot token.
 */
export interface SlackWorkspaces {
  readonly multi: boolean;
  /** The key data is kept under: the team id, or the org id of an org-wide install; undefined with one workspace. */
  keyOf(request: RequestWorkspace): string | undefined;
  /** The bot token of a workspace (rotated first when it is about to expire). */
  botTokenOf(workspaceId: string | undefined): Promise<string>;
}

export function singleWorkspace(botToken: string): SlackWorkspaces {
  return {
    multi: false,
    keyOf: () => undefined,
    botTokenOf: async () => botToken,
  };
}

export function installedWorkspaces(deps: {
  /** The installation query for a workspace key, or undefined when it is not installed. */
  queryFor(
    workspaceId: string,
  ): Promise<
    { teamId: string | undefined; enterpriseId: string | undefined; isEnterpriseInstall: boolean } | undefined
  >;
  /** Bolt's (InstallProvider's) authorize: fetches the installation and rotates an expiring token. */
  authorize(query: {
    teamId: string | undefined;
    enterpriseId: string | undefined;
    isEnterpriseInstall: boolean;
  }): Promise<{ botToken?: string | undefined }>;
}): SlackWorkspaces {
  return {
    multi: true,
    keyOf: (request) => (request.isEnterpriseInstall ? request.enterpriseId : request.teamId),
    async botTokenOf(workspaceId) {
      const query = workspaceId ? await deps.queryFor(workspaceId) : undefined;
      if (!query) throw new WorkspaceNotInstalledError(workspaceId);
      const { botToken } = await deps.authorize(query);
      if (!botToken) throw new WorkspaceNotInstalledError(workspaceId);
      return botToken;
    },
  };
}

/**
 * Web API clients by workspace, for work done outside a Slack request (delivery, announcements). One
 * client per token is kept, so a rotated token gets a fresh client and the old one is dropped.
 */
export class WorkspaceClients {
  private readonly clients = new Map<string, webApi.WebClient>();

  constructor(
    private readonly workspaces: SlackWorkspaces,
    private readonly build: (token: string) => webApi.WebClient,
  ) {}

  async of(workspaceId: string | undefined): Promise<webApi.WebClient> {
    const token = await this.workspaces.botTokenOf(workspaceId);
    let client = this.clients.get(token);
    if (!client) {
      // A few hundred workspaces at most; a rotated token's client is simply replaced.
      if (this.clients.size >= 500) this.clients.clear();
      client = this.build(token);
      this.clients.set(token, client);
    }
    return client;
  }
}

export function webClientFactory(options: webApi.WebClientOptions): (token: string) => webApi.WebClient {
  return (token) => new webApi.WebClient(token, options);
}

type AuthorizeQuery = { teamId?: string | undefined; enterpriseId?: string | undefined; isEnterpriseInstall?: boolean };

/**
 * Lets concurrent authorizations of one workspace share a single look-up, so that when its token is
 * about to expire one refresh runs, not one per request racing with the same single-use refresh token.
 * Each caller gets its own copy of the answer: Bolt adds request details to the object it is given.
 */
export function shareConcurrent<Q extends AuthorizeQuery, R extends object>(
  authorize: (query: Q) => Promise<R>,
): (query: Q) => Promise<R> {
  const inFlight = new Map<string, Promise<R>>();
  return (query) => {
    const key = `${query.isEnterpriseInstall ? 'org' : 'team'}:${query.enterpriseId ?? ''}:${query.teamId ?? ''}`;
    let shared = inFlight.get(key);
    if (!shared) {
      shared = authorize(query).finally(() => inFlight.delete(key));
      inFlight.set(key, shared);
    }
    return shared.then((result) => ({ ...result }));
  };
}
