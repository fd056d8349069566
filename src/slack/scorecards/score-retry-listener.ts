import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import type { SlackUser } from '../../domain/identities/slack-user.js';
import type { ScorecardRetryResult } from '../../domain/scorecards/scorecard-retry.js';
import { buildResultView, SCORE_RETRY_ACTION_ID, scorecardMessage } from './score-views.js';

const scorecardId = z.uuid();

export interface ScoreRetryServices {
  retry(scorecardId: string, clicker: SlackUser): Promise<ScorecardRetryResult>;
  workspaceOf(context: AllMiddlewareArgs['context']): string | undefined;
}

/**
 * The Retry button of a half-delivered scorecard (private message, thread reply or the form): its failed
 * answers go back in the queue when the clicker is its reviewer or a QM admin; anyone else is told who
 * may. The message the button was on then says the answers are being sent; the reviewer is told again,
 * with the score and every answer's state, once they have landed.
 */
export function registerScoreRetryListener(app: App, services: ScoreRetryServices): void {
  app.action<BlockAction<ButtonAction>>(
    SCORE_RETRY_ACTION_ID,
    async ({ ack, body, action, respond, client, context, logger }: ScoreRetryArgs) => {
      await ack();
      const id = scorecardId.safeParse(action.value);
      if (!id.success) {
        logger.warn('A scorecard Retry button carried a value this app did not write; ignored.');
        return;
      }
      const clicker: SlackUser = {
        workspaceId: services.workspaceOf(context),
        teamId: body.team?.id ?? body.user.team_id ?? '',
        userId: body.user.id,
      };
      const result = await services.retry(id.data, clicker);
      logger.info(
        { event: 'scorecard_retry_clicked', scorecardId: id.data, slackUser: clicker.userId, result: result.kind },
        `Retry of scorecard ${id.data} by Slack user ${clicker.userId}: ${result.kind}.`,
      );
      const updated = result.kind === 'queued' || result.kind === 'nothing_failed' ? result.scorecard : undefined;
      try {
        if (updated && body.view?.id && body.view.type === 'modal') {
          // In the form: the view shows the answers being sent (it is updated again when they land).
          await client.views.update({
            view_id: body.view.id,
            view: buildResultView(updated, {
              v: 1,
              segmentId: updated.segmentId,
              offsetSeconds: updated.offsetSeconds,
            }),
          });
          return;
        }
        const message = updated ? scorecardMessage(updated) : notice(result);
        if (body.response_url) {
          await respond({ response_type: 'ephemeral', replace_original: updated !== undefined, ...message });
        } else if (body.channel?.id) {
          await client.chat.postEphemeral({ channel: body.channel.id, user: body.user.id, ...message });
        }
      } catch (error) {
        logger.warn({ err: error }, 'Could not answer a scorecard Retry click');
      }
    },
  );
}

type ScoreRetryArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;

function notice(result: ScorecardRetryResult): { text: string } {
  return result.kind === 'not_allowed'
    ? { text: `:no_entry: ${result.reason}` }
    : {
        text: ':warning: This scorecard is no longer in the app’s records, so its answers cannot be sent again. Score the call again with `/qm score`.',
      };
}
