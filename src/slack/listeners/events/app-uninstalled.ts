import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { ListenerServices } from '../services.js';

/** The workspace (or org) removed the app: its installation, and with it its tokens, is forgotten. */
export function appUninstalled(services: ListenerServices) {
  return async ({ context, logger }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'app_uninstalled'>) => {
    await services.installations.uninstalled({
      teamId: context.teamId,
      enterpriseId: context.enterpriseId,
      isEnterpriseInstall: context.isEnterpriseInstall,
    });
    logger.info(`Flex QM was uninstalled from ${context.teamId ?? context.enterpriseId ?? 'a workspace'}.`);
  };
}
