import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type CustomRoute,
  HTTPReceiver,
  type Installation,
  type InstallationStore,
  type Logger,
  type LogLevel,
} from '@slack/bolt';
import type { OAuthSettings } from '../../config/config.js';
import { BOT_SCOPES } from '../scopes.js';
import { installedPage, installFailedPage } from './install-pages.js';
import { INSTALL_PATH_FOR_PAGES } from './paths.js';

export const INSTALL_PATH = INSTALL_PATH_FOR_PAGES;
export const REDIRECT_PATH = '/slack/oauth_redirect';

export interface InstallReceiverOptions {
  oauth: OAuthSettings;
  signingSecret: string;
  installationStore: InstallationStore;
  /** The Web API the installer exchanges codes and refreshes tokens with (Slack's, or a test's). */
  slackApiUrl: string;
  customRoutes: CustomRoute[];
  logger?: Logger | undefined;
  logLevel: LogLevel;
  /** After a workspace installed the app (first time or again): e.g. give it its categories. */
  onInstalled: (installation: Installation) => Promise<void>;
}

/**
 * Bolt's HTTP receiver with Slack's OAuth install flow: GET /slack/install sends the browser straight
 * to Slack's consent page (state in a cookie and signed with SLACK_STATE_SECRET); Slack sends it back
 * to /slack/oauth_redirect, where the code is exchanged and the installation stored. Its installer
 * also authorizes every request and rotates tokens that are about to expire.
 */
export function createInstallReceiver(options: InstallReceiverOptions): HTTPReceiver {
  const { oauth, logger } = options;
  return new HTTPReceiver({
    signingSecret: options.signingSecret,
    clientId: oauth.clientId,
    clientSecret: oauth.clientSecret,
    stateSecret: oauth.stateSecret,
    ...(oauth.redirectUri ? { redirectUri: oauth.redirectUri } : {}),
    scopes: [...BOT_SCOPES],
    installationStore: options.installationStore,
    customRoutes: options.customRoutes,
    ...(logger ? { logger } : {}),
    logLevel: options.logLevel,
    installerOptions: {
      installPath: INSTALL_PATH,
      redirectUriPath: REDIRECT_PATH,
      directInstall: true,
      stateVerification: true,
      clientOptions: { slackApiUrl: options.slackApiUrl, retryConfig: { retries: 1 } },
      callbackOptions: {
        successAsync: async (installation, _options, _req, res) => {
          try {
            await options.onInstalled(installation);
          } catch (error) {
            // The install itself is done; what follows it can be done by hand (see the page).
            logger?.warn(`After installing: ${error instanceof Error ? error.message : String(error)}`);
          }
          sendHtml(res, 200, installedPage(installation));
        },
        failure: (error, _options, _req: IncomingMessage, res: ServerResponse) => {
          logger?.warn(`An install did not complete: ${error.code} ${error.message}`);
          sendHtml(res, error.code === 'slack_oauth_invalid_state' ? 400 : 500, installFailedPage(error.code));
        },
      },
    },
  });
}

function sendHtml(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(body);
}
