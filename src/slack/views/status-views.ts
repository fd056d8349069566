import type { types } from '@slack/bolt';
import type { Assessment } from '../../domain/assessments/assessment.js';
import { formatOffset } from '../../domain/calls/offset.js';
import { escapeMrkdwn, quote, truncate } from './mrkdwn.js';

const TITLE = { type: 'plain_text', text: 'QM comment' } as const;

function statusView(blocks: types.KnownBlock[]): types.ModalView {
  return { type: 'modal', title: TITLE, close: { type: 'plain_text', text: 'Close' }, blocks };
}

function section(text: string): types.SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

/**
 * A form whose private_metadata fails its seal: it was altered on the way, or opened before the app's key
 * changed. What to do next is the same either way.
 */
export const FORM_UNREADABLE =
  'This form cannot be sent: the app cannot vouch for what it was opened with (it was changed on the way, or the app was reconfigured since it opened). Copy anything you typed, close the form and start again.';

export function formUnreadableView(): types.ModalView {
  return statusView([section(`:warning: ${FORM_UNREADABLE}`)]);
}

/** Shown the moment a valid form is accepted, while Flex is called. */
export function postingView(): types.ModalView {
  return statusView([section(':hourglass_flowing_sand: Saved. Posting your comment to Flex…')]);
}

export function postedView(assessment: Assessment): types.ModalView {
  return statusView([
    section(`:white_check_mark: Your comment is in Flex as *${escapeMrkdwn(assessment.categoryName)}*.`),
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `At ${formatOffset(assessment.offsetSeconds)} · assessment \`${escapeMrkdwn(assessment.flexAssessmentSid ?? '—')}\``,
        },
      ],
    },
  ]);
}

/** Flex said no: its reason, and the comment so the reviewer can post it again after fixing the cause. */
export function rejectedView(assessment: Assessment, message: string): types.ModalView {
  return statusView([
    section(`:x: Your comment is not in Flex. ${escapeMrkdwn(truncate(message, 2500))}`),
    section(`Your comment, saved so nothing is lost:\n${quote(assessment.comment)}`),
  ]);
}

export function willRetryView(message: string): types.ModalView {
  return statusView([
    section(
      `:arrows_counterclockwise: Flex is not answering right now (${escapeMrkdwn(truncate(message, 2500))}). Your comment is saved and will be sent again automatically; you will get a message when it is in Flex.`,
    ),
  ]);
}
