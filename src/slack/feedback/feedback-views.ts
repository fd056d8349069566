import type { types } from '@slack/bolt';
import { linkAtOffset } from '../../domain/calls/link-at-offset.js';
import { formatOffset } from '../../domain/calls/offset.js';
import {
  FEEDBACK_NOTE_MAX,
  type Feedback,
  type FeedbackEvent,
  type FeedbackSubject,
} from '../../domain/feedback/feedback.js';
import { formatScore, scoreOf } from '../../domain/scorecards/score.js';
import type { OutgoingMessage } from '../notifications/outcome-messages.js';
import { escapeMrkdwn, mention, mrkdwnLink, quote, truncate } from '../views/mrkdwn.js';

/** The buttons on feedback; each button's value is the feedback's id. */
export const FEEDBACK_IDS = {
  acknowledge: 'feedback_acknowledge',
  dispute: 'feedback_dispute',
  uphold: 'feedback_uphold',
  revise: 'feedback_revise',
  mute: 'feedback_mute',
  disputeForm: 'feedback_dispute_form',
  upholdForm: 'feedback_uphold_form',
} as const;

export const DISPUTE_REASON = { blockId: 'dispute_reason', actionId: 'reason' } as const;
export const UPHOLD_NOTE = { blockId: 'uphold_note', actionId: 'note' } as const;

const when = (date: Date) =>
  `<!date^${Math.floor(date.getTime() / 1000)}^{date_short} {time}|${date.toISOString().slice(0, 16).replace('T', ' ')} UTC>`;

/** The call at the feedback's time, as a link when the comment or score started from one. */
export function callLine(subject: FeedbackSubject): string {
  const at = formatOffset(subject.offsetSeconds);
  const link = subject.callUrl
    ? ` · ${mrkdwnLink(linkAtOffset(subject.callUrl, subject.offsetSeconds), `Open the call at ${at}`)}`
    : '';
  return `At ${at} · segment \`${escapeMrkdwn(subject.segmentId)}\`${link}`;
}

/** One line naming what the feedback is: the comment's category, or the questionnaire and its score. */
export function subjectTitle(subject: FeedbackSubject): string {
  if (subject.comment) return `comment · *${escapeMrkdwn(truncate(subject.comment.categoryName, 80))}*`;
  const card = subject.scorecard;
  if (!card) return 'feedback';
  return `scorecard · *${escapeMrkdwn(truncate(card.questionnaireName, 80))}* · score *${formatScore(scoreOf(card.answers).overall)}*`;
}

/** The comment quoted, or the score per category and overall. */
function subjectBody(subject: FeedbackSubject): string {
  if (subject.comment) return `*${escapeMrkdwn(subject.comment.categoryName)}*\n${quote(subject.comment.text, 1500)}`;
  const card = subject.scorecard;
  if (!card) return '';
  const summary = scoreOf(card.answers);
  const lines = summary.categories
    .slice(0, 30)
    .map((c) => `• ${escapeMrkdwn(truncate(c.categoryName, 80))}: *${formatScore(c.score)}*`);
  const revision = card.revision > 1 ? ` (scored again, revision ${card.revision})` : '';
  return truncate(
    `*${escapeMrkdwn(card.questionnaireName)}*${revision} · overall *${formatScore(summary.overall)}*\n${lines.join('\n')}`,
    2900,
  );
}

/** Where the feedback stands, in words for the agent and the reviewers. */
export function stateLine(feedback: Feedback): string {
  switch (feedback.state) {
    case 'new':
      return ':new: New: acknowledge it, or dispute it if you think it is wrong.';
    case 'acknowledged':
      return `:white_check_mark: Acknowledged${feedback.acknowledgedAt ? ` ${when(feedback.acknowledgedAt)}` : ''}.`;
    case 'disputed':
      return `:speech_balloon: Disputed${feedback.disputedAt ? ` ${when(feedback.disputedAt)}` : ''}: waiting for the reviewer or a QM admin.`;
    case 'resolved': {
      const by = feedback.resolvedBySlackUserId ? ` by ${mention(feedback.resolvedBySlackUserId)}` : '';
      const verb = feedback.resolution === 'revised' ? 'revised' : 'upheld';
      const note = feedback.resolutionNote ? `\n${quote(feedback.resolutionNote, 1200)}` : '';
      return `:ballot_box_with_check: Dispute resolved: ${verb}${by}.${note}`;
    }
  }
}

function button(actionId: string, label: string, feedback: Feedback, style?: 'primary' | 'danger'): types.Button {
  return {
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: label },
    value: feedback.id,
    ...(style ? { style } : {}),
  };
}

/** The agent's buttons for the state: Acknowledge while new; Dispute until disputed. */
export function agentButtons(feedback: Feedback): types.Button[] {
  const buttons: types.Button[] = [];
  if (feedback.state === 'new') buttons.push(button(FEEDBACK_IDS.acknowledge, 'Acknowledge', feedback, 'primary'));
  if (feedback.state === 'new' || feedback.state === 'acknowledged') {
    buttons.push(button(FEEDBACK_IDS.dispute, 'Dispute', feedback));
  }
  return buttons;
}

/** The DM to the agent: who reviewed, what, the call at that time, the state and the buttons. */
export function agentFeedbackDm(feedback: Feedback, subject: FeedbackSubject): OutgoingMessage {
  const reviewer = mention(feedback.reviewerSlackUserId);
  const what = subject.comment
    ? `(${escapeMrkdwn(truncate(subject.comment.categoryName, 80))})`
    : `(scorecard ${escapeMrkdwn(truncate(subject.scorecard?.questionnaireName ?? '', 80))})`;
  const blocks: types.KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `:wave: ${reviewer} left QM ${subject.scorecard ? 'a scorecard' : 'feedback'} on one of your calls\n${subjectBody(subject)}`,
      },
    },
    { type: 'context', elements: [{ type: 'mrkdwn', text: callLine(subject) }] },
    { type: 'context', elements: [{ type: 'mrkdwn', text: stateLine(feedback) }] },
  ];
  const buttons = agentButtons(feedback);
  if (buttons.length > 0) blocks.push({ type: 'actions', block_id: 'feedback_agent', elements: buttons });
  return { text: `You have new QM feedback from ${reviewer} ${what}.`, blocks };
}

/**
 * The dispute: in the QA channel (or, without one, the reviewer's DM) with Uphold and Revise while it is open;
 * `postedIn` makes it the reviewer's copy, which points to the channel instead of carrying buttons that a later
 * step could not update.
 */
export function disputeMessage(feedback: Feedback, subject: FeedbackSubject, postedIn?: string): OutgoingMessage {
  const agent = feedback.agentSlackUserId ? mention(feedback.agentSlackUserId) : 'The agent';
  const reviewer = mention(feedback.reviewerSlackUserId);
  const blocks: types.KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `:speech_balloon: ${agent} disputes the ${subjectTitle(subject)} from ${reviewer}\n${quote(feedback.disputeReason ?? '', 1200)}`,
      },
    },
    { type: 'section', text: { type: 'mrkdwn', text: subjectBody(subject) || ' ' } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: callLine(subject) }] },
    { type: 'context', elements: [{ type: 'mrkdwn', text: stateLine(feedback) }] },
  ];
  if (postedIn) {
    blocks.push({
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: `Uphold or revise it in <#${postedIn}>, where each step is shown in its thread.` },
      ],
    });
  } else if (feedback.state === 'disputed') {
    blocks.push({
      type: 'actions',
      block_id: 'feedback_dispute',
      elements: [
        button(FEEDBACK_IDS.uphold, 'Uphold', feedback, 'primary'),
        button(FEEDBACK_IDS.revise, subject.scorecard ? 'Revise the scorecard' : 'Revise the comment', feedback),
      ],
    });
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `For ${reviewer} and QM admins.` }],
    });
  }
  return { text: `${agent} disputes QM feedback from ${reviewer}.`, blocks };
}

/** One step as a thread reply (and as the line the reviewer is told). */
export function stepText(event: Pick<FeedbackEvent, 'kind' | 'slackUserId' | 'note'>): string {
  const who = event.slackUserId ? mention(event.slackUserId) : 'someone';
  const note = event.note ? `\n${quote(event.note, 1500)}` : '';
  switch (event.kind) {
    case 'acknowledged':
      return `:white_check_mark: Acknowledged by ${who}.`;
    case 'disputed':
      return `:speech_balloon: Disputed by ${who}.${note}`;
    case 'upheld':
      return `:ballot_box_with_check: Upheld by ${who}.${note}`;
    case 'revised':
      return `:pencil2: Revised by ${who}.${note}`;
    case 'notified':
      return ':envelope: The agent was told by DM.';
  }
}

/** What the agent is told when the dispute is upheld. */
export function upheldDm(feedback: Feedback, subject: FeedbackSubject): OutgoingMessage {
  const by = feedback.resolvedBySlackUserId ? mention(feedback.resolvedBySlackUserId) : 'A reviewer';
  const note = feedback.resolutionNote ? `\n${quote(feedback.resolutionNote, 1500)}` : '';
  return {
    text: `${by} upheld the feedback you disputed.`,
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `:ballot_box_with_check: ${by} upheld the ${subjectTitle(subject)} you disputed.${note}`,
        },
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: callLine(subject) }] },
    ],
  };
}

function modal(callbackId: string, title: string, submit: string, feedback: Feedback, blocks: types.KnownBlock[]) {
  return {
    type: 'modal',
    callback_id: callbackId,
    title: { type: 'plain_text', text: title },
    submit: { type: 'plain_text', text: submit },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: feedback.id,
    blocks,
  } satisfies types.ModalView;
}

/** The agent's reason for disputing (required). */
export function disputeForm(feedback: Feedback, subject: FeedbackSubject): types.ModalView {
  return modal(FEEDBACK_IDS.disputeForm, 'Dispute feedback', 'Dispute', feedback, [
    { type: 'section', text: { type: 'mrkdwn', text: `You dispute the ${subjectTitle(subject)}.` } },
    {
      type: 'input',
      block_id: DISPUTE_REASON.blockId,
      label: { type: 'plain_text', text: 'Why?' },
      hint: { type: 'plain_text', text: 'The reviewer and the QA channel see this.' },
      element: {
        type: 'plain_text_input',
        action_id: DISPUTE_REASON.actionId,
        multiline: true,
        min_length: 1,
        max_length: FEEDBACK_NOTE_MAX,
      },
    },
  ]);
}

/** Upholding a dispute, with a note for the agent (optional). */
export function upholdForm(feedback: Feedback): types.ModalView {
  return modal(FEEDBACK_IDS.upholdForm, 'Uphold feedback', 'Uphold', feedback, [
    {
      type: 'input',
      block_id: UPHOLD_NOTE.blockId,
      optional: true,
      label: { type: 'plain_text', text: 'A note for the agent' },
      element: {
        type: 'plain_text_input',
        action_id: UPHOLD_NOTE.actionId,
        multiline: true,
        max_length: FEEDBACK_NOTE_MAX,
      },
    },
  ]);
}

export interface FeedbackHomeItem {
  feedback: Feedback;
  subject: FeedbackSubject | null;
}

const STATE_WORDS = { new: 'New', acknowledged: 'Acknowledged', disputed: 'Disputed', resolved: 'Resolved' };

/** The agent's "Feedback on your calls": latest first, the state and the buttons, and the mute toggle. */
export function feedbackHomeBlocks(items: FeedbackHomeItem[], muted: boolean): types.KnownBlock[] {
  const blocks: types.KnownBlock[] = [
    { type: 'divider' },
    { type: 'section', text: { type: 'mrkdwn', text: '*Feedback on your calls*' } },
    {
      type: 'section',
      block_id: 'feedback_mute',
      text: {
        type: 'mrkdwn',
        text: muted
          ? ':no_bell: You are not sent DMs about new feedback; it still appears here.'
          : ':bell: You get a DM for each comment and scorecard on your calls.',
      },
      accessory: {
        type: 'button',
        action_id: FEEDBACK_IDS.mute,
        text: { type: 'plain_text', text: muted ? 'Send me DMs again' : 'Mute the DMs' },
        value: muted ? 'unmute' : 'mute',
      },
    },
  ];
  if (items.length === 0) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: 'None yet.' }] });
  }
  for (const { feedback, subject } of items) {
    const reviewer = mention(feedback.reviewerSlackUserId);
    const title = subject ? subjectTitle(subject) : feedback.kind;
    const body = subject?.comment ? `\n${escapeMrkdwn(truncate(subject.comment.text, 200))}` : '';
    blocks.push({
      type: 'section',
      block_id: `feedback_${feedback.id}`,
      text: {
        type: 'mrkdwn',
        text: `*${STATE_WORDS[feedback.state]}* · ${title} · from ${reviewer} · ${when(feedback.createdAt)}${body}`,
      },
    });
    const buttons = agentButtons(feedback);
    if (buttons.length > 0) {
      blocks.push({ type: 'actions', block_id: `feedback_actions_${feedback.id}`, elements: buttons });
    }
  }
  return blocks;
}
