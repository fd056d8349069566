import type { Logger, webApi } from '@slack/bolt';
import type { Assessment } from '../../domain/assessments/assessment.js';
import type { DeliveryOutcome } from '../../domain/assessments/delivery-service.js';
import { channelMembership } from '../directory/channel-members.js';
import { postedView, rejectedView, willRetryView } from '../views/status-views.js';
import {
  inviteHint,
  notMemberHint,
  notPostedMessage,
  type OutgoingMessage,
  postedMessage,
  retryingMessage,
} from './outcome-messages.js';
import { postEphemeralToResponseUrl, RESPONSE_URL_LIFETIME_MS, responseUrlAllowed } from './response-url.js';
import { slackErrorReason } from './slack-send-retry.js';

export interface ReviewerNotifierDeps {
  /** A client with the bot token of the assessment's workspace. */
  clients: { of(workspaceId: string | undefined): Promise<webApi.WebClient> };
  /** True for the one caller that may tell the reviewer the final outcome. */
  claimNotification: (assessmentId: string) => Promise<boolean>;
  postToResponseUrl?: typeof postEphemeralToResponseUrl;
  /** The origins response_urls may have (SLACK_RESPONSE_URL_ORIGINS); others are never posted to. */
  responseUrlOrigins: readonly string[];
  logger: Logger;
  now?: () => Date;
}

/** After this long the reviewer has most likely closed the modal (an update would fail, harmlessly). */
const MODAL_MAY_BE_OPEN_MS = 5 * 60_000;
const CHANNEL_UNREACHABLE = new Set(['not_in_channel', 'channel_not_found', 'is_archived', 'access_denied']);

/** Tells the reviewer what became of their comment: in the modal, in the thread, or privately. */
export class ReviewerNotifier {
  private readonly now: () => Date;
  private readonly postToResponseUrl: typeof postEphemeralToResponseUrl;

  constructor(private readonly deps: ReviewerNotifierDeps) {
    this.now = deps.now ?? (() => new Date());
    this.postToResponseUrl = deps.postToResponseUrl ?? postEphemeralToResponseUrl;
  }

  async report(outcome: DeliveryOutcome, modal?: { viewId: string }): Promise<void> {
    const { assessment } = outcome;
    if (modal) await this.updateModal(assessment, modal.viewId, outcome);
    switch (outcome.kind) {
      case 'posted':
        // Claimed when it was recorded as posted, in the same write.
        if (outcome.reviewerClaimed) await this.confirm(assessment);
        return;
      case 'rejected':
      case 'gave_up':
        if (await this.deps.claimNotification(assessment.id)) {
          await this.sendPrivately(assessment, notPostedMessage(assessment, outcome.message));
        }
        return;
      case 'will_retry':
        // Said once, on the first failure; the final outcome gets its own message later.
        if (assessment.attempts === 1)
          await this.sendPrivately(assessment, retryingMessage(assessment, outcome.message));
        return;
    }
  }

  /**
   * An attempt the delivery worker made. The first attempt of a comment the submission left to the worker
   * (the app was overloaded, or Flex busy) still shows its outcome in the modal, which may well be open:
   * a submission's key is its modal's view id.
   */
  async reportFromWorker(outcome: DeliveryOutcome): Promise<void> {
    const { assessment } = outcome;
    const young = this.now().getTime() - assessment.createdAt.getTime() < MODAL_MAY_BE_OPEN_MS;
    // A scorecard's closing comment has no modal of its own: its key is not a view id.
    const ownModal = assessment.attempts === 1 && young && !assessment.scorecardId;
    await this.report(outcome, ownModal ? { viewId: assessment.submissionKey } : undefined);
  }

  /** Tells the reviewer of an assessment settled by an instance that died before telling them. */
  async reportMissed(assessment: Assessment): Promise<void> {
    if (assessment.status === 'posted') {
      await this.report({
        kind: 'posted',
        assessment,
        reviewerClaimed: await this.deps.claimNotification(assessment.id),
      });
    } else if (assessment.status === 'failed') {
      await this.report({
        kind: 'gave_up',
        assessment,
        message: assessment.lastError ?? 'Flex did not take the comment',
      });
    }
  }

  private async updateModal(assessment: Assessment, viewId: string, outcome: DeliveryOutcome): Promise<void> {
    const view =
      outcome.kind === 'posted'
        ? postedView(outcome.assessment)
        : outcome.kind === 'will_retry'
          ? willRetryView(outcome.message)
          : rejectedView(outcome.assessment, outcome.message);
    try {
      const client = await this.deps.clients.of(assessment.origin.workspaceId);
      await client.views.update({ view_id: viewId, view });
    } catch (error) {
      // The reviewer may have closed the modal; the message that follows still tells them.
      this.deps.logger.debug({ err: error }, `Could not update modal ${viewId}`);
    }
  }

  /** In the thread of the message the comment came from when there is one, else privately. */
  private async confirm(assessment: Assessment): Promise<void> {
    const message = postedMessage(assessment);
    const { channelId, threadTs } = assessment.origin;
    if (channelId && threadTs) {
      const client = await this.deps.clients.of(assessment.origin.workspaceId);
      // A shortcut's or a preview's thread is the message the reviewer acted on, as Slack's signed request
      // named it. A command's is a link the reviewer typed: replied in only if Slack says they are in it.
      if (assessment.source === 'command') {
        const membership = await channelMembership(client, channelId, assessment.origin.userId);
        if (!membership.member) {
          this.deps.logger.info(
            `Confirmation for ${assessment.id} kept private: the reviewer's link names a channel they are not known to be in (${membership.reason}).`,
          );
          await this.sendPrivately(assessment, {
            ...message,
            blocks: [...message.blocks, notMemberHint(channelId, membership.reason)],
          });
          return;
        }
      }
      try {
        await client.chat.postMessage({ channel: channelId, thread_ts: threadTs, ...message });
        return;
      } catch (error) {
        const code = slackErrorReason(error);
        if (!CHANNEL_UNREACHABLE.has(code)) throw error;
        this.deps.logger.info(
          `Confirmation for ${assessment.id} could not go to the thread (${code}); sent privately.`,
        );
        await this.sendPrivately(assessment, { ...message, blocks: [...message.blocks, inviteHint(channelId)] });
        return;
      }
    }
    await this.sendPrivately(assessment, message);
  }

  /** Where the command ran, visible only to the reviewer, while Slack allows it; else as a DM. */
  private async sendPrivately(assessment: Assessment, message: OutgoingMessage): Promise<void> {
    const { responseUrl, userId } = assessment.origin;
    const allowed =
      responseUrl !== null &&
      responseUrl !== undefined &&
      responseUrlAllowed(responseUrl, this.deps.responseUrlOrigins);
    if (responseUrl && !allowed) {
      this.deps.logger.warn(
        `Assessment ${assessment.id} has a response_url that is not Slack's; sending a DM instead.`,
      );
    }
    if (responseUrl && allowed && this.now().getTime() - assessment.createdAt.getTime() < RESPONSE_URL_LIFETIME_MS) {
      try {
        if (await this.postToResponseUrl(responseUrl, message)) return;
      } catch (error) {
        this.deps.logger.info({ err: error }, `response_url post failed for ${assessment.id}; sending a DM.`);
      }
    }
    const client = await this.deps.clients.of(assessment.origin.workspaceId);
    await client.chat.postMessage({ channel: userId, ...message });
  }
}
