import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  ButtonAction,
  Logger,
  SlackActionMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
  webApi,
} from '@slack/bolt';
import { z } from 'zod';
import type { Feedback, FeedbackEvent, FeedbackSubject } from '../../domain/feedback/feedback.js';
import type { ActOutcome, FeedbackService } from '../../domain/feedback/feedback-service.js';
import type { SlackUser } from '../../domain/identities/slack-user.js';
import { logArgs } from '../../flex/errors.js';
import { slackErrorReason } from '../notifications/slack-send-retry.js';
import type { RequestWorkspace } from '../workspaces.js';
import {
  agentFeedbackDm,
  DISPUTE_REASON,
  disputeForm,
  disputeMessage,
  FEEDBACK_IDS,
  stepText,
  UPHOLD_NOTE,
  upheldDm,
  upholdForm,
} from './feedback-views.js';

/** What the feedback listeners call into. */
export interface FeedbackListenerServices {
  service: FeedbackService;
  store: {
    subjectOf(feedback: Feedback): Promise<FeedbackSubject | null>;
    events(feedbackId: string): Promise<FeedbackEvent[]>;
    setDisputeMessage(id: string, message: { channelId: string; ts: string }): Promise<void>;
    setMuted(teamId: string, slackUserId: string, muted: boolean): Promise<void>;
  };
  /** The workspace's QA channel, where disputes go (the comment's category channel, else NOTIFY_CHANNEL). */
  qaChannelOf(feedback: Feedback): Promise<string | undefined>;
  workspaceOf(context: RequestWorkspace): string | undefined;
  /** Publishes someone's Home tab afresh. */
  refreshHome(client: webApi.WebClient, user: SlackUser): Promise<void>;
  /** Opens the comment form (for a comment) or the scorecard pre-filled (for a scorecard) to revise it. */
  openRevision(
    client: webApi.WebClient,
    logger: Logger,
    triggerId: string,
    feedback: Feedback,
    subject: FeedbackSubject,
  ): Promise<string | undefined>;
}

export const FEEDBACK_LISTENER_IDS = {
  views: [FEEDBACK_IDS.disputeForm, FEEDBACK_IDS.upholdForm],
  actions: [
    FEEDBACK_IDS.acknowledge,
    FEEDBACK_IDS.dispute,
    FEEDBACK_IDS.uphold,
    FEEDBACK_IDS.revise,
    FEEDBACK_IDS.mute,
  ],
};

const feedbackId = z.uuid();
type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockAction<ButtonAction>>;
type ViewArgs = AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>;

/** Says something to the person who clicked, privately: beside the message they clicked, or by DM from the Home tab. */
async function tell(args: ButtonArgs, text: string): Promise<void> {
  if (args.body.response_url) {
    await args.respond({ response_type: 'ephemeral', replace_original: false, text });
    return;
  }
  await args.client.chat.postMessage({ channel: args.body.user.id, text });
}

function warn(logger: Logger, what: string) {
  return (error: unknown) => logger.warn(...logArgs(what, error));
}

/**
 * Tells everyone concerned of a step, after it is recorded: the agent's DM shows the new state, the step goes
 * in the dispute's thread, and both Home tabs are published afresh. Each is tried once; the step itself is
 * already in the database.
 */
async function showStep(
  services: FeedbackListenerServices,
  client: webApi.WebClient,
  logger: Logger,
  feedback: Feedback,
  subject: FeedbackSubject,
  event: Pick<FeedbackEvent, 'kind' | 'slackUserId' | 'note'>,
): Promise<void> {
  const work: Promise<unknown>[] = [];
  if (feedback.dmChannelId && feedback.dmMessageTs) {
    work.push(
      client.chat
        .update({ channel: feedback.dmChannelId, ts: feedback.dmMessageTs, ...agentFeedbackDm(feedback, subject) })
        .catch(warn(logger, `Updating the DM of feedback ${feedback.id} failed`)),
    );
  }
  if (feedback.disputeChannelId && feedback.disputeMessageTs) {
    const where = { channel: feedback.disputeChannelId };
    work.push(
      client.chat
        .update({ ...where, ts: feedback.disputeMessageTs, ...disputeMessage(feedback, subject) })
        .catch(warn(logger, `Updating the dispute of feedback ${feedback.id} failed`)),
      client.chat
        .postMessage({ ...where, thread_ts: feedback.disputeMessageTs, text: stepText(event) })
        .catch(warn(logger, `Replying in the dispute of feedback ${feedback.id} failed`)),
    );
  }
  if (feedback.agentSlackUserId) {
    const agent = { workspaceId: feedback.workspaceId, teamId: feedback.teamId, userId: feedback.agentSlackUserId };
    work.push(services.refreshHome(client, agent).catch(warn(logger, 'Publishing the agent’s Home tab failed')));
  }
  await Promise.all(work);
}

function feedbackIdOf(args: ButtonArgs): string | undefined {
  const parsed = feedbackId.safeParse(args.action.value);
  if (!parsed.success) args.logger.warn('A feedback button carried a value this app did not write; ignored.');
  return parsed.success ? parsed.data : undefined;
}

function log(logger: Logger, act: string, id: string, userId: string, outcome: ActOutcome): void {
  logger.info(
    { event: 'feedback_step', act, feedbackId: id, slackUser: userId, result: outcome.kind },
    `Feedback ${id}: ${act} by Slack user ${userId}: ${outcome.kind}.`,
  );
}

function acknowledge(services: FeedbackListenerServices) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const id = feedbackIdOf(args);
    if (!id) return;
    const { client, logger, body } = args;
    const outcome = await services.service.acknowledge(id, body.user.id);
    log(logger, 'acknowledge', id, body.user.id, outcome);
    if (outcome.kind === 'refused') {
      await tell(args, outcome.text);
      return;
    }
    const { feedback } = outcome;
    const subject = await services.store.subjectOf(feedback);
    if (!subject) return;
    const event = { kind: 'acknowledged' as const, slackUserId: body.user.id, note: null };
    // The reviewer hears of it where they were told the outcome: the thread it started from, else by DM.
    const thread = subject.reviewerThread;
    await Promise.all([
      showStep(services, client, logger, feedback, subject, event),
      client.chat
        .postMessage(
          thread
            ? { channel: thread.channelId, thread_ts: thread.threadTs, text: stepText(event) }
            : { channel: feedback.reviewerSlackUserId, text: `${stepText(event)} (your ${describe(subject)})` },
        )
        .catch(warn(logger, `Telling the reviewer of feedback ${feedback.id} failed`)),
    ]);
  };
}

function describe(subject: FeedbackSubject): string {
  return subject.scorecard ? 'scorecard' : 'comment';
}

/** Dispute and Uphold open a short form; Revise opens the comment or scorecard form. Each only for those allowed. */
function openForm(services: FeedbackListenerServices, act: 'dispute' | 'uphold' | 'revise') {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const id = feedbackIdOf(args);
    if (!id) return;
    const { client, logger, body } = args;
    const checked = await services.service.check(id, body.user.id, act);
    if (checked.kind === 'refused') {
      log(logger, act, id, body.user.id, checked);
      await tell(args, checked.text);
      return;
    }
    const { feedback } = checked;
    const subject = await services.store.subjectOf(feedback);
    if (!subject) {
      await tell(args, 'The comment or scorecard this feedback is about is no longer in the app. Nothing was changed.');
      return;
    }
    if (act === 'revise') {
      const problem = await services.openRevision(client, logger, body.trigger_id, feedback, subject);
      if (problem) await tell(args, problem);
      return;
    }
    const view = act === 'dispute' ? disputeForm(feedback, subject) : upholdForm(feedback);
    await client.views.open({ trigger_id: body.trigger_id, view }).catch(async (error: unknown) => {
      warn(logger, `Opening the ${act} form failed`)(error);
      await tell(
        args,
        `The form did not open (Slack said ${slackErrorReason(error)}). Nothing was changed: click again.`,
      );
    });
  };
}

function textInput(view: ViewSubmitAction['view'], block: { blockId: string; actionId: string }): string {
  const value = view.state.values[block.blockId]?.[block.actionId]?.value;
  return typeof value === 'string' ? value : '';
}

function disputeSubmission(services: FeedbackListenerServices) {
  return async (args: ViewArgs): Promise<void> => {
    const { ack, body, view, client, logger } = args;
    const id = feedbackId.safeParse(view.private_metadata);
    const reason = textInput(view, DISPUTE_REASON).trim();
    if (!reason) {
      await ack({ response_action: 'errors', errors: { [DISPUTE_REASON.blockId]: 'Say why, in a sentence or two.' } });
      return;
    }
    if (!id.success) {
      await ack({
        response_action: 'errors',
        errors: { [DISPUTE_REASON.blockId]: 'This form is out of date; close it and click Dispute again.' },
      });
      return;
    }
    const outcome = await services.service.dispute(id.data, body.user.id, reason);
    log(logger, 'dispute', id.data, body.user.id, outcome);
    if (outcome.kind === 'refused') {
      await ack({ response_action: 'errors', errors: { [DISPUTE_REASON.blockId]: outcome.text } });
      return;
    }
    await ack();
    let { feedback } = outcome;
    const subject = await services.store.subjectOf(feedback);
    if (!subject) return;
    const channel = await services.qaChannelOf(feedback);
    const inChannel = channel
      ? await client.chat
          .postMessage({ channel, ...disputeMessage(feedback, subject) })
          .catch(warn(logger, 'Posting a dispute to the QA channel failed'))
      : undefined;
    // The reviewer's copy points to the channel's, where the buttons are; without a channel it is the one.
    const postedIn = inChannel?.ts && inChannel.channel ? inChannel.channel : undefined;
    const toReviewer = await client.chat
      .postMessage({ channel: feedback.reviewerSlackUserId, ...disputeMessage(feedback, subject, postedIn) })
      .catch(warn(logger, 'Sending a dispute to its reviewer failed'));
    // Later steps reply in the QA channel's thread, or in the reviewer's DM when there is no channel.
    const thread = inChannel?.ts ? inChannel : toReviewer?.ts ? toReviewer : undefined;
    if (thread?.channel && thread.ts) {
      const where = { channelId: thread.channel, ts: thread.ts };
      await services.store.setDisputeMessage(feedback.id, where);
      feedback = { ...feedback, disputeChannelId: where.channelId, disputeMessageTs: where.ts };
      // The thread starts with the story so far (told, acknowledged, disputed), each step with who and when.
      for (const step of await services.store.events(feedback.id)) {
        await client.chat
          .postMessage({ channel: where.channelId, thread_ts: where.ts, text: stepText(step) })
          .catch(warn(logger, 'Replying in a dispute’s thread failed'));
      }
    }
    const { disputeChannelId: _c, disputeMessageTs: _t, ...rest } = feedback;
    // The dispute message was just posted as it is: only the DM and the Home tab change.
    await showStep(services, client, logger, { ...rest, disputeChannelId: null, disputeMessageTs: null }, subject, {
      kind: 'disputed',
      slackUserId: body.user.id,
      note: null,
    });
  };
}

function upholdSubmission(services: FeedbackListenerServices) {
  return async (args: ViewArgs): Promise<void> => {
    const { ack, body, view, client, logger } = args;
    const id = feedbackId.safeParse(view.private_metadata);
    if (!id.success) {
      await ack({
        response_action: 'errors',
        errors: { [UPHOLD_NOTE.blockId]: 'This form is out of date; close it and click Uphold again.' },
      });
      return;
    }
    const note = textInput(view, UPHOLD_NOTE).trim();
    const outcome = await services.service.uphold(id.data, body.user.id, note || undefined);
    log(logger, 'uphold', id.data, body.user.id, outcome);
    if (outcome.kind === 'refused') {
      await ack({ response_action: 'errors', errors: { [UPHOLD_NOTE.blockId]: outcome.text } });
      return;
    }
    await ack();
    const { feedback } = outcome;
    const subject = await services.store.subjectOf(feedback);
    if (!subject) return;
    await Promise.all([
      showStep(services, client, logger, feedback, subject, {
        kind: 'upheld',
        slackUserId: body.user.id,
        note: note || null,
      }),
      feedback.agentSlackUserId
        ? client.chat
            .postMessage({ channel: feedback.agentSlackUserId, ...upheldDm(feedback, subject) })
            .catch(warn(logger, 'Telling the agent a dispute was upheld failed'))
        : undefined,
    ]);
  };
}

function toggleMute(services: FeedbackListenerServices) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const { body, client, context } = args;
    const teamId = body.team?.id ?? body.user.team_id ?? '';
    // Anyone may choose for themselves; it only decides whether the app DMs them about feedback.
    await services.store.setMuted(teamId, body.user.id, args.action.value === 'mute');
    await services.refreshHome(client, { workspaceId: services.workspaceOf(context), teamId, userId: body.user.id });
  };
}

/**
 * After a revision was sent (a new comment naming the disputed one, or the scorecard scored again): the step
 * is recorded and shown in the dispute's thread, and the agent's DM and Home tab change.
 */
export async function recordRevision(
  services: FeedbackListenerServices,
  client: webApi.WebClient,
  logger: Logger,
  id: string,
  userId: string,
  by: { assessmentId: string } | { scorecardRevision: number },
): Promise<void> {
  const outcome = await services.service.revised(id, userId, by);
  log(logger, 'revise', id, userId, outcome);
  if (outcome.kind !== 'done') return;
  const subject = await services.store.subjectOf(outcome.feedback);
  if (!subject) return;
  await showStep(services, client, logger, outcome.feedback, subject, {
    kind: 'revised',
    slackUserId: userId,
    note:
      'assessmentId' in by
        ? 'A new comment revises this one; the agent is sent it.'
        : 'The scorecard was scored again; the agent is sent it once Flex has it.',
  });
}

export function registerFeedbackListeners(app: App, services: FeedbackListenerServices): void {
  app.action<BlockAction<ButtonAction>>(FEEDBACK_IDS.acknowledge, acknowledge(services));
  app.action<BlockAction<ButtonAction>>(FEEDBACK_IDS.dispute, openForm(services, 'dispute'));
  app.action<BlockAction<ButtonAction>>(FEEDBACK_IDS.uphold, openForm(services, 'uphold'));
  app.action<BlockAction<ButtonAction>>(FEEDBACK_IDS.revise, openForm(services, 'revise'));
  app.action<BlockAction<ButtonAction>>(FEEDBACK_IDS.mute, toggleMute(services));
  app.view<ViewSubmitAction>(FEEDBACK_IDS.disputeForm, disputeSubmission(services));
  app.view<ViewSubmitAction>(FEEDBACK_IDS.upholdForm, upholdSubmission(services));
}
