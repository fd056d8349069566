import { App, type Installation } from '@slack/bolt';
import type { Config } from '../config/config.js';
import { InstallationRepository } from '../db/repositories/installation-repository.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { healthRoute } from '../health/liveness.js';
import type { SecretBox } from '../security/secret-box.js';
import { createInstaller } from '../slack/oauth/installer.js';
import { SlackReceiver } from '../slack/receiver/slack-receiver.js';
import { slackCallError, slackWebApiFetch } from '../slack/web-api-fetch.js';
import { installedWorkspaces, type SlackWorkspaces, shareConcurrent, singleWorkspace } from '../slack/workspaces.js';
import type { Observability } from './observability.js';
import type { wireReadiness } from './readiness.js';
import { SocketModeWithRoutes } from './socket-mode.js';

/**
 * The Bolt app and its receiver: Socket Mode or our HTTP receiver, the routes PORT answers (/healthz,
 * /readyz, /metrics), and, when workspaces install the app by OAuth, the installer and its routes.
 */
export function createSlackApp(deps: {
  config: Config;
  prisma: PrismaClient;
  obs: Observability;
  readiness: ReturnType<typeof wireReadiness>;
  secretBox: SecretBox | undefined;
  /** Retries of Slack Web API calls. */
  retries: number;
  /** Told of every workspace that installs the app by OAuth. */
  onInstalled: (installation: Installation) => Promise<void>;
}) {
  const { config, obs, readiness } = deps;
  const slackFetch = slackWebApiFetch((method, outcome) => {
    readiness.observeSlack(method, outcome);
    const error = slackCallError(outcome);
    if (error) obs.onSlackError(method, error);
  });
  const clientOptions = {
    slackApiUrl: config.slack.apiUrl,
    retryConfig: { retries: deps.retries, factor: 2, minTimeout: 500, maxTimeout: 2_000 },
    fetch: slackFetch,
  };
  const routes = [
    healthRoute(deps.prisma),
    { method: 'GET', path: readiness.route.path, handler: readiness.route.handler },
    obs.route,
  ];

  // Many workspaces install the app by OAuth; otherwise it serves the one workspace of SLACK_BOT_TOKEN.
  const oauth = config.slack.oauth;
  const installations = oauth && deps.secretBox ? new InstallationRepository(deps.prisma, deps.secretBox) : undefined;
  const install =
    oauth && installations
      ? createInstaller({
          oauth,
          installationStore: installations,
          slackApiUrl: config.slack.apiUrl,
          logger: obs.logger,
          logLevel: obs.logger.getLevel(),
          onInstalled: (installation) => deps.onInstalled(installation),
        })
      : undefined;
  const installer = install?.installer;
  // Requests and background sends of one workspace share one token refresh.
  if (installer) installer.authorize = shareConcurrent(installer.authorize.bind(installer));
  const bolt = new App({
    ...(installer
      ? { authorize: (query) => installer.authorize(query), extendedErrorHandler: true }
      : {
          token: config.slack.botToken,
          // Start-up checks ran auth.test (main.ts); Bolt's own would crash the process on a refused token.
          tokenVerificationEnabled: false,
          ...(config.slack.botId ? { botId: config.slack.botId } : {}),
          ...(config.slack.botUserId ? { botUserId: config.slack.botUserId } : {}),
        }),
    // Socket Mode (payloads over a WebSocket, see wiring/socket-mode.ts), or our HTTP receiver: signatures
    // always checked, Slack's sizes and shapes enforced (see SlackReceiver); with OAuth it also serves installs.
    receiver: config.slack.appToken
      ? new SocketModeWithRoutes({ appToken: config.slack.appToken, clientOptions, routes })
      : new SlackReceiver({
          signingSecret: config.slack.signingSecret ?? '',
          routes: [...routes, ...(install?.routes ?? [])],
          onAcknowledged: obs.onAcknowledged,
        }),
    logger: obs.logger,
    logLevel: obs.logger.getLevel(),
    clientOptions,
  });
  const workspaces: SlackWorkspaces =
    installations && installer
      ? installedWorkspaces({
          queryFor: (workspaceId) => installations.queryFor(workspaceId),
          authorize: (query) => installer.authorize(query),
        })
      : singleWorkspace(config.slack.botToken ?? '');
  return { bolt, workspaces, installations, clientOptions, slackFetch };
}

export type SlackApp = ReturnType<typeof createSlackApp>;
