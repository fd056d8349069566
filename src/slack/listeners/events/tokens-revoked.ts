import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import type { ListenerServices } from '../services.js';

// Slack lists user tokens under `oauth` and bot tokens under `bot`, by the user id each belongs to.
const revokedTokens = z.object({
  oauth: z.array(z.string()).optional(),
  bot: z.array(z.string()).optional(),
});

/** Tokens were revoked: a revoked bot token ends the installation; revoked user tokens are forgotten. */
export function tokensRevoked(services: ListenerServices) {
  return async ({ event, context, logger }: AllMiddlewareArgs & SlackEventMiddlewareArgs<'tokens_revoked'>) => {
    const tokens = revokedTokens.safeParse(event.tokens);
    if (!tokens.success) {
      logger.warn('A tokens_revoked event listed its tokens in a form this app does not know; nothing was removed.');
      return;
    }
    await services.installations.tokensRevoked(
      {
        teamId: context.teamId,
        enterpriseId: context.enterpriseId,
        isEnterpriseInstall: context.isEnterpriseInstall,
      },
      { botUserIds: tokens.data.bot ?? [], userIds: tokens.data.oauth ?? [] },
    );
  };
}
