import type { App, Installation, Logger } from '@slack/bolt';
import type { ExtendedErrorHandler } from '@slack/bolt/dist/App.js';
import type { OAuthSettings } from '../config/config.js';
import type { CategoryRepository } from '../db/repositories/category-repository.js';
import type { InstallationRepository } from '../db/repositories/installation-repository.js';
import type { CategoryCatalog } from '../domain/categories/category-catalog.js';
import type { FlexClient } from '../flex/flex-client.js';
import type { InstallationEvents } from '../slack/listeners/services.js';
import { postEphemeralToResponseUrl } from '../slack/notifications/response-url.js';
import { INSTALL_PATH } from '../slack/oauth/installer.js';
import type { RequestWorkspace, SlackWorkspaces } from '../slack/workspaces.js';

/**
 * What happens as workspaces come and go: a new install is given Flex's categories, an uninstall or revoked
 * tokens remove what was stored, and a request from a workspace with no installation is told how to install.
 */
export function wireWorkspaceInstalls(deps: {
  workspaces: SlackWorkspaces;
  installations: InstallationRepository | undefined;
  oauth: OAuthSettings | undefined;
  categories: CategoryRepository;
  catalog: CategoryCatalog;
  flex: FlexClient;
  logger: Logger;
}) {
  const { workspaces, installations, logger } = deps;

  /** With one workspace nothing is stored to forget; with OAuth installs, the workspace's installation. */
  async function forget<T>(workspace: RequestWorkspace, remove: (key: string) => Promise<T> | undefined) {
    const key = workspaces.keyOf(workspace);
    return key ? await remove(key) : undefined;
  }

  const events: InstallationEvents = {
    async uninstalled(workspace) {
      const removed = await forget(workspace, (key) => installations?.removeWorkspace([key]));
      logger.info(`app_uninstalled: ${removed ?? 0} installation(s) of ${describeWorkspace(workspace)} removed.`);
    },
    async tokensRevoked(workspace, revoked) {
      const outcome = await forget(workspace, (key) => installations?.revokeTokens([key], revoked));
      logger.info(
        `tokens_revoked in ${describeWorkspace(workspace)}: ${outcome?.installationsRemoved ?? 0} installation(s) and ${outcome?.userTokensRemoved ?? 0} user token(s) removed.`,
      );
    },
  };

  /**
   * A request from a workspace with no installation (never installed, or uninstalled): Bolt calls no
   * listener, so the person is told here, where the command or shortcut ran, what to do.
   */
  async function tellNotInstalled(body: unknown): Promise<void> {
    const responseUrl = responseUrlOf(body);
    logger.warn('A request came from a workspace where Flex QM is not installed; it was refused.');
    if (!responseUrl) return;
    const where = deps.oauth?.redirectUri ? new URL(INSTALL_PATH, deps.oauth.redirectUri).toString() : INSTALL_PATH;
    const text = `Flex QM is not installed in this Slack workspace (or was removed), so it cannot take QM comments here. A Slack admin can install it at ${where}.`;
    await postEphemeralToResponseUrl(responseUrl, { text, blocks: [] }).catch((error: unknown) =>
      logger.warn({ err: error }, 'Could not say that the app is not installed'),
    );
  }

  return {
    events,
    /** A newly installed workspace is given Flex's categories at once, so /qm works straight away. */
    async installed(installation: Installation): Promise<void> {
      const key = workspaces.keyOf({
        teamId: installation.team?.id,
        enterpriseId: installation.enterprise?.id,
        isEnterpriseInstall: installation.isEnterpriseInstall === true,
      });
      if (!key) return;
      const report = await deps.categories.syncFromFlex(await deps.flex.listCommentCategories(), key);
      await deps.catalog.refresh();
      logger.info(`Installed in ${key}; categories from Flex: ${report.added} added, ${report.updated} updated.`);
    },
    /** Logs what a listener left unhandled; with OAuth installs, answers requests of workspaces not installed. */
    handleErrors(bolt: App): void {
      if (workspaces.multi) {
        bolt.error(async ({ error, body }: Parameters<ExtendedErrorHandler>[0]) => {
          if (error.code === 'slack_bolt_authorization_error') {
            await tellNotInstalled(body);
            return;
          }
          logger.error({ err: error }, `Unhandled error in a Slack listener: ${error.code ?? error.name}`);
        });
      } else {
        bolt.error(async (error) => {
          logger.error({ err: error }, `Unhandled error in a Slack listener: ${error.code ?? error.name}`);
        });
      }
    },
  };
}

function describeWorkspace(workspace: RequestWorkspace): string {
  return workspace.isEnterpriseInstall
    ? `org ${workspace.enterpriseId ?? '?'}`
    : `workspace ${workspace.teamId ?? '?'}`;
}

function responseUrlOf(body: unknown): string | undefined {
  if (!body || typeof body !== 'object' || !('response_url' in body)) return undefined;
  const url = body.response_url;
  return typeof url === 'string' && URL.canParse(url) ? url : undefined;
}
