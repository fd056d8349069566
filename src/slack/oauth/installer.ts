import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Installation, InstallationStore, Logger, LogLevel } from '@slack/bolt';
import { type CallbackOptions, InstallProvider, type InstallURLOptions } from '@slack/oauth';
import type { OAuthSettings } from '../../config/config.js';
import { logArgs } from '../../flex/errors.js';
import type { SlackReceiverRoute } from '../receiver/slack-receiver.js';
import { BOT_SCOPES } from '../scopes.js';
import { installedPage, installFailedPage } from './install-pages.js';
import { INSTALL_PATH_FOR_PAGES } from './paths.js';

export const INSTALL_PATH = INSTALL_PATH_FOR_PAGES;
export const REDIRECT_PATH = '/slack/oauth_redirect';

export interface InstallerOptions {
  oauth: OAuthSettings;
  installationStore: InstallationStore;
  /** The Web API the installer exchanges codes and refreshes tokens with (Slack's, or a test's). */
  slackApiUrl: string;
  logger?: Logger | undefined;
  logLevel: LogLevel;
  /** After a workspace installed the app (first time or again): e.g. give it its categories. */
  onInstalled: (installation: Installation) => Promise<void>;
}

/**
 * Slack's OAuth install flow, served by the app's own receiver: GET /slack/install sends the browser
 * straight to Slack's consent page (state in a cookie, signed with SLACK_STATE_SECRET); Slack sends it
 * back to /slack/oauth_redirect, where the code is exchanged and the installation stored. The installer
 * also authorizes every request and rotates tokens that are about to expire.
 */
export function createInstaller(options: InstallerOptions): {
  installer: InstallProvider;
  routes: SlackReceiverRoute[];
} {
  const { oauth, logger } = options;
  const installer = new InstallProvider({
    clientId: oauth.clientId,
    clientSecret: oauth.clientSecret,
    stateSecret: oauth.stateSecret,
    installationStore: options.installationStore,
    ...(logger ? { logger } : {}),
    logLevel: options.logLevel,
    directInstall: true,
    stateVerification: true,
    clientOptions: { slackApiUrl: options.slackApiUrl, retryConfig: { retries: 1 } },
  });
  const urlOptions: InstallURLOptions = {
    scopes: [...BOT_SCOPES],
    ...(oauth.redirectUri ? { redirectUri: oauth.redirectUri } : {}),
  };
  const callbackOptions: CallbackOptions = {
    successAsync: async (installation, _options, _req, res) => {
      try {
        await options.onInstalled(installation);
      } catch (error) {
        // The install itself is done; what follows it can be done by hand (see the page).
        logger?.warn(
          ...logArgs(
            'After installing, giving the workspace its comment categories from Flex failed (the install itself is done; `npm run categories -- sync --workspace …` does the rest)',
            error,
          ),
        );
      }
      sendHtml(res, 200, installedPage(installation));
    },
    failure: (error, _options, _req: IncomingMessage, res: ServerResponse) => {
      logger?.warn({ err: error }, `An install did not complete (${error.code})`);
      sendHtml(res, error.code === 'slack_oauth_invalid_state' ? 400 : 500, installFailedPage(error.code));
    },
  };
  const safely = (what: string, work: (req: IncomingMessage, res: ServerResponse) => Promise<void>) => {
    return (req: IncomingMessage, res: ServerResponse): void => {
      work(req, res).catch((error: unknown) => {
        logger?.error(...logArgs(`${what} failed`, error));
        if (!res.headersSent) sendHtml(res, 500, installFailedPage('unexpected_error'));
      });
    };
  };
  return {
    installer,
    routes: [
      {
        method: 'GET',
        path: INSTALL_PATH,
        handler: safely('Starting an install', (req, res) => installer.handleInstallPath(req, res, {}, urlOptions)),
      },
      {
        method: 'GET',
        path: REDIRECT_PATH,
        handler: safely('Finishing an install', (req, res) => installer.handleCallback(req, res, callbackOptions)),
      },
    ],
  };
}

function sendHtml(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(body);
}
