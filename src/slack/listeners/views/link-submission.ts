import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { LINK_EMAIL_BLOCK } from '../../views/identity-views.js';
import { askToBeLinked } from '../commands/self-service.js';
import type { ListenerServices } from '../services.js';
import { slackUserOf } from '../slack-user.js';

/** The link modal (from `/qm link` without an email): the answer replaces the form. */
export function linkSubmission(services: ListenerServices) {
  return async ({
    ack,
    body,
    view,
    client,
    context,
    logger,
  }: AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>): Promise<void> => {
    const email = view.state.values[LINK_EMAIL_BLOCK.blockId]?.[LINK_EMAIL_BLOCK.actionId]?.value?.trim() ?? '';
    if (!email) {
      await ack({
        response_action: 'errors',
        errors: { [LINK_EMAIL_BLOCK.blockId]: 'Give the email of your Flex user.' },
      });
      return;
    }
    const teamId = body.team?.id ?? view.team_id;
    const text = await askToBeLinked(
      services,
      client,
      logger,
      slackUserOf(services, context, teamId, body.user.id),
      email,
    );
    await ack({
      response_action: 'update',
      view: {
        type: 'modal',
        title: { type: 'plain_text', text: 'Link to Flex' },
        close: { type: 'plain_text', text: 'Close' },
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
      },
    });
  };
}
