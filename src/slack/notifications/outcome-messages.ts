import type { types } from '@slack/bolt';
import type { Assessment } from '../../domain/assessments/assessment.js';
import { linkAtOffset } from '../../domain/calls/link-at-offset.js';
import { formatOffset } from '../../domain/calls/offset.js';
import { escapeMrkdwn, mention, mrkdwnLink, quote, truncate } from '../views/mrkdwn.js';

/** A chat message: `text` is the notification and screen-reader fallback for the blocks. */
export interface OutgoingMessage {
  text: string;
  blocks: types.KnownBlock[];
}

const COMMENT_PREVIEW = 500;

/** The Retry button on a failed comment's message; its value is the assessment's id. */
export const RETRY_ACTION_ID = 'assessment_retry';
export const RETRY_BLOCK_ID = 'assessment_retry';

function retryButton(assessment: Assessment): types.ActionsBlock {
  return {
    type: 'actions',
    block_id: RETRY_BLOCK_ID,
    elements: [
      {
        type: 'button',
        action_id: RETRY_ACTION_ID,
        text: { type: 'plain_text', text: 'Retry' },
        style: 'primary',
        value: assessment.id,
      },
    ],
  };
}

function details(assessment: Assessment): types.ContextBlock {
  const sid = assessment.flexAssessmentSid ? ` · assessment \`${escapeMrkdwn(assessment.flexAssessmentSid)}\`` : '';
  const link = assessment.callUrl
    ? ` · ${mrkdwnLink(linkAtOffset(assessment.callUrl, assessment.offsetSeconds), `Open the call at ${formatOffset(assessment.offsetSeconds)}`)}`
    : '';
  return {
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `*${escapeMrkdwn(assessment.categoryName)}* · at ${formatOffset(assessment.offsetSeconds)} · segment \`${escapeMrkdwn(assessment.segmentId)}\`${sid}${link}`,
      },
    ],
  };
}

/** The confirmation: who commented, in which category, where in the call, and Flex's id for it. */
export function postedMessage(assessment: Assessment): OutgoingMessage {
  return {
    text: `${mention(assessment.origin.userId)} posted a QM comment (${escapeMrkdwn(truncate(assessment.categoryName, 80))}) to Flex.`,
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `:white_check_mark: ${mention(assessment.origin.userId)} posted a QM comment to Flex\n${quote(assessment.comment, COMMENT_PREVIEW)}`,
        },
      },
      details(assessment),
    ],
  };
}

export function notPostedMessage(assessment: Assessment, reason: string): OutgoingMessage {
  // Given up while Flex may hold it (an answer we could not read, then no way to check): say so, not "not posted".
  const lead = assessment.outcomeUnknown
    ? 'Your QM comment was not posted to Flex, as far as the app can tell: Flex never confirmed it, though it may have taken it without saying so. Retry checks Flex first and never posts it twice.'
    : 'Your QM comment was not posted to Flex.';
  return {
    text: `${lead} ${escapeMrkdwn(truncate(reason, 200))}`,
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `${assessment.outcomeUnknown ? ':warning:' : ':x:'} ${lead} ${escapeMrkdwn(truncate(reason, 300))}\nHere it is, so nothing is lost:\n${quote(assessment.comment, 2200)}`,
        },
      },
      details(assessment),
      retryButton(assessment),
    ],
  };
}

/** Replaces the failed comment's message once someone asked to send it again (no button: one click is enough). */
export function queuedAgainMessage(assessment: Assessment, byUserId: string): OutgoingMessage {
  return {
    text: 'Your QM comment is queued again and will be sent to Flex in a moment.',
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `:arrows_counterclockwise: ${mention(byUserId)} asked to send this QM comment again. It is queued and goes to Flex in a moment; you will get a message when it is there.\n${quote(assessment.comment, COMMENT_PREVIEW)}`,
        },
      },
      details(assessment),
    ],
  };
}

export function retryingMessage(assessment: Assessment, reason: string): OutgoingMessage {
  return {
    text: 'Flex is not answering; your QM comment is saved and will be sent again.',
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `:arrows_counterclockwise: Flex is not answering right now (${escapeMrkdwn(truncate(reason, 300))}). Your QM comment is saved and will be sent again automatically; you will get a message when it is in Flex.`,
        },
      },
      details(assessment),
    ],
  };
}

/** Added when the thread could not be answered, so the reviewer knows how to fix it next time. */
/**
 * Why a confirmation asked for in a linked message's thread stays private: the reviewer typed the link, and
 * the app replies only where Slack says they are a member.
 */
export function notMemberHint(channelId: string, reason: 'not_member' | 'unknown'): types.ContextBlock {
  const why =
    reason === 'not_member'
      ? `you are not a member of <#${channelId}>`
      : `Slack did not confirm that you are a member of <#${channelId}> (the app may not be in it)`;
  return {
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `I did not reply in the linked message's thread because ${why}. A confirmation goes only to a thread of a channel you are in; this one stays here, between us.`,
      },
    ],
  };
}

export function inviteHint(channelId: string): types.ContextBlock {
  return {
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `I could not reply in <#${channelId}>'s thread because I am not in that channel. Invite me with \`/invite @Flex QM\` to get confirmations there.`,
      },
    ],
  };
}
