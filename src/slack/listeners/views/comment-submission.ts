import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { FieldErrors } from '../../../domain/assessments/comment-form.js';
import { slackEmailOf } from '../../directory/slack-users.js';
import { COMMENT_BLOCKS } from '../../views/block-ids.js';
import { buildCommentModal } from '../../views/comment-modal.js';
import { readCommentModalState } from '../../views/comment-modal-state.js';
import { FORM_UNREADABLE, postingView } from '../../views/status-views.js';
import type { ListenerServices } from '../services.js';

/**
 * The comment modal's submission: a bad field is answered beside the field and nothing is lost;
 * a good one is stored first, then the modal says "posting" while Flex is called.
 */
export function commentSubmission(services: ListenerServices) {
  return async ({
    ack,
    body,
    view,
    client,
    context,
    logger,
  }: AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>): Promise<void> => {
    const workspaceId = services.workspaces.keyOf(context);
    const metadata = services.modalMetadata.open(view.private_metadata);
    if (!metadata) {
      // Not a form this app sealed as it stands: altered, or from before the key changed. Nothing is stored.
      logger.warn(`A comment form from ${body.user.id} came back with private_metadata that fails its seal; refused.`);
      // Shown beside the comment, so what was typed stays in the form to be copied.
      await ack({ response_action: 'errors', errors: { [COMMENT_BLOCKS.comment.blockId]: FORM_UNREADABLE } });
      return;
    }
    const form = readCommentModalState(view.state.values);
    const revises = metadata.revisesFeedbackId;
    if (revises && services.feedback) {
      // A revision after a dispute: still theirs to write, and its text names the comment it revises.
      const prepared = await services.feedback.prepareCommentRevision(revises, body.user.id);
      if ('refusal' in prepared) {
        await ack({ response_action: 'errors', errors: { [COMMENT_BLOCKS.comment.blockId]: prepared.refusal } });
        return;
      }
      if (form.comment !== null && !form.comment.startsWith(prepared.prefix)) {
        form.comment = `${prepared.prefix}${form.comment}`;
      }
    }
    const teamId = body.team?.id ?? view.team_id;
    let result: Awaited<ReturnType<typeof services.submissions.submit>>;
    try {
      result = await services.submissions.submit({
        form,
        known: { segmentId: metadata.segmentId, agentId: metadata.agentId, offsetSeconds: metadata.offsetSeconds },
        callUrl: metadata.callUrl,
        submissionKey: view.id,
        source: metadata.source,
        origin: {
          teamId,
          workspaceId,
          userId: body.user.id,
          channelId: metadata.thread?.channelId ?? metadata.channelId,
          messageTs: metadata.thread?.messageTs,
          threadTs: metadata.thread?.threadTs,
          responseUrl: metadata.responseUrl,
        },
        lookupEmail: () => slackEmailOf(client, body.user.id),
      });
    } catch (error) {
      // Nothing could be saved (the database is not answering): say so in the form, which keeps every value.
      logger.error({ err: error, slackUser: body.user.id }, `Could not save a submission from ${body.user.id}`);
      await ack({ response_action: 'errors', errors: { [COMMENT_BLOCKS.comment.blockId]: NOT_SAVED } });
      return;
    }

    if (result.kind === 'invalid') {
      await ack({ response_action: 'errors', errors: errorsForBlocks(result.errors, blockIdsOf(view)) });
      return;
    }
    if (result.kind === 'agent_needed') {
      if (blockIdsOf(view).has(COMMENT_BLOCKS.agent.blockId)) {
        await ack({ response_action: 'errors', errors: errorsForBlocks(result.errors, blockIdsOf(view)) });
        return;
      }
      // The modal did not ask for the agent (Flex was expected to know): ask now, keeping every value typed.
      await ack({
        response_action: 'update',
        view: services.modalMetadata.sealView(
          buildCommentModal({
            categories: services.catalog.current(workspaceId ?? null),
            scoreButton: services.scoring?.offered(workspaceId) ?? false,
            metadata: { ...metadata, segmentId: result.segmentId },
            askAgent: true,
            notice: result.errors.agent,
            values: {
              categoryId: form.categoryId ?? undefined,
              comment: form.comment ?? undefined,
              offset: form.offset ?? undefined,
            },
          }),
        ),
      });
      return;
    }
    if (!result.created) {
      // The same modal submitted twice: the first submission is already on its way.
      await ack();
      return;
    }
    const { reservation } = result;
    try {
      // The comment is saved: if the acknowledgement cannot reach Slack (a Socket Mode connection that
      // dropped), it is sent all the same, rather than left claimed until its lease runs out.
      await ack({ response_action: 'update', view: postingView() }).catch((error: unknown) =>
        logger.warn(
          { err: error, assessmentId: result.assessment.id },
          'Slack did not get the acknowledgement of a saved comment; sending it to Flex all the same',
        ),
      );
      if (result.linkedNow)
        logger.info(`Linked Slack user ${body.user.id} to Flex identity ${result.reviewer.id} by email.`);
      // Stored claimed while Flex had room: sent now. Otherwise the worker sends this one and confirms it.
      const outcome = reservation
        ? await services.delivery.deliverReserved(result.assessment, reservation, result.reviewer)
        : undefined;
      if (outcome) await services.notifier.report(outcome, { viewId: view.id });
    } finally {
      reservation?.release();
    }
    // The dispute is settled as revised once the new comment is on its way, never holding its delivery back.
    if (revises && services.feedback) {
      await services.feedback
        .commentRevised(client, logger, revises, body.user.id, result.assessment.id)
        .catch((error: unknown) => logger.warn({ err: error }, 'Recording a revised comment failed'));
    }
  };
}

const NOT_SAVED =
  'Your comment could not be saved: the app’s database is not answering. Nothing here is lost: press Submit again in a minute, and if it keeps failing, tell whoever runs the app.';

function blockIdsOf(view: ViewSubmitAction['view']): Set<string> {
  return new Set(view.blocks.map((block) => block.block_id).filter((id): id is string => typeof id === 'string'));
}

/** Slack shows an error only beside an input block the view has; others go beside the comment. */
function errorsForBlocks(errors: FieldErrors, present: Set<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, message] of Object.entries(errors)) {
    const blockId = COMMENT_BLOCKS[field as keyof typeof COMMENT_BLOCKS].blockId;
    const target = present.has(blockId) ? blockId : COMMENT_BLOCKS.comment.blockId;
    out[target] = out[target] ? `${out[target]} ${message}` : message;
  }
  return out;
}
