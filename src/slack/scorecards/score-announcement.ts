import type { types } from '@slack/bolt';
import { linkAtOffset } from '../../domain/calls/link-at-offset.js';
import { formatOffset } from '../../domain/calls/offset.js';
import { formatScore, scoreOf } from '../../domain/scorecards/score.js';
import type { Scorecard } from '../../domain/scorecards/scorecard.js';
import { agentLabel } from '../notifications/announcement-message.js';
import { escapeMrkdwn, mention, mrkdwnLink, truncate } from '../views/mrkdwn.js';

/**
 * The team's view of a scorecard once Flex holds all its answers: who scored whose call with which
 * questionnaire, the score overall and per category (the app's own calculation, and labelled so), and
 * the call. At most 3 blocks, each text within Block Kit's 3000 characters
 * (https://api.slack.com/reference/block-kit/blocks).
 */
export function scorecardAnnouncement(
  scorecard: Scorecard,
  agentSlackUserId: string | undefined,
): { text: string; blocks: types.KnownBlock[] } {
  const summary = scoreOf(scorecard.answers);
  const agent = agentLabel(scorecard.agentId, agentSlackUserId);
  const reviewer = mention(scorecard.slackUserId);
  const verb = scorecard.revision > 1 ? 'updated their scorecard of' : 'scored';
  const questionnaire = escapeMrkdwn(truncate(scorecard.questionnaireName, 150));
  const categories = summary.categories
    .map(
      (c) =>
        `• ${escapeMrkdwn(truncate(c.categoryName, 100))}: *${formatScore(c.score)}*${c.notApplicable ? ` (${c.notApplicable} N/A)` : ''}`,
    )
    .join('\n');
  const at = formatOffset(scorecard.offsetSeconds);
  const link = scorecard.callUrl
    ? ` · ${mrkdwnLink(linkAtOffset(scorecard.callUrl, scorecard.offsetSeconds), `Open the call at ${at}`)}`
    : '';
  return {
    text: `${reviewer} ${verb} a call of ${agent} with ${questionnaire}: ${formatScore(summary.overall)}.`,
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: truncate(
            `:bar_chart: ${reviewer} ${verb} a call of ${agent} with *${questionnaire}*: *${formatScore(summary.overall)}*\n${categories}`,
            3000,
          ),
        },
      },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `Score calculated by this app: the mean of the answered questions' scores, N/A left out (${summary.answered} answered, ${summary.notApplicable} N/A); Flex Insights may weigh answers differently.`,
          },
        ],
      },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: truncate(`at ${at} · segment \`${escapeMrkdwn(scorecard.segmentId)}\`${link}`, 3000),
          },
        ],
      },
    ],
  };
}
