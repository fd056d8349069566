import type { Assessment } from '../../domain/assessments/assessment.js';
import { linkAtOffset } from '../../domain/calls/link-at-offset.js';
import { formatOffset } from '../../domain/calls/offset.js';
import { escapeMrkdwn, mention, mrkdwnLink, quote, truncate } from '../views/mrkdwn.js';
import type { OutgoingMessage } from './outcome-messages.js';

/** How the agent appears: a mention when they are mapped to a Slack user, else their Flex agent id. */
export function agentLabel(agentId: string, slackUserId: string | undefined): string {
  return slackUserId ? mention(slackUserId) : `agent \`${escapeMrkdwn(agentId)}\``;
}

function callLine(assessment: Assessment): string {
  const at = formatOffset(assessment.offsetSeconds);
  const link = assessment.callUrl
    ? ` · ${mrkdwnLink(linkAtOffset(assessment.callUrl, assessment.offsetSeconds), `Open the call at ${at}`)}`
    : '';
  return `*${escapeMrkdwn(assessment.categoryName)}* · at ${at} · segment \`${escapeMrkdwn(assessment.segmentId)}\`${link}`;
}

/** The team's view of a new QM comment: who, about whom, which category, what, and the call. */
export function announcementMessage(assessment: Assessment, agentSlackUserId: string | undefined): OutgoingMessage {
  const agent = agentLabel(assessment.agentId, agentSlackUserId);
  return {
    text: `${mention(assessment.origin.userId)} left a QM comment (${escapeMrkdwn(truncate(assessment.categoryName, 80))}) on a call of ${agent}.`,
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `:memo: ${mention(assessment.origin.userId)} left a QM comment on a call of ${agent}\n${quote(assessment.comment, 1500)}`,
        },
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: callLine(assessment) }] },
    ],
  };
}
