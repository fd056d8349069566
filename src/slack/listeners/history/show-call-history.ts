import type { Logger, webApi } from '@slack/bolt';
import type { SlackUser } from '../../../domain/identities/slack-user.js';
import { logArgs } from '../../../flex/errors.js';
import { callHistoryLoadingView, callHistoryUnavailableView, callHistoryView } from '../../views/call-history-view.js';
import type { ListenerServices } from '../services.js';

type HistoryServices = Pick<ListenerServices, 'history' | 'people'>;

/**
 * Opens the call's history at once (the trigger lives 3 seconds), on top of the comment form when asked
 * from it, then fills it in once Flex and the database have answered.
 */
export async function showCallHistory(
  services: HistoryServices,
  client: webApi.WebClient,
  logger: Logger,
  request: { triggerId: string; segmentId: string; viewer: SlackUser; over: 'nothing' | 'form' },
): Promise<void> {
  const loading = callHistoryLoadingView(request.segmentId);
  const opened =
    request.over === 'form'
      ? await client.views.push({ trigger_id: request.triggerId, view: loading })
      : await client.views.open({ trigger_id: request.triggerId, view: loading });
  const viewId = opened.view?.id;
  if (!viewId) return;
  await fillCallHistory(services, client, logger, { viewId, segmentId: request.segmentId, viewer: request.viewer });
}

/** Reads the history afresh (nothing is kept between pages) and shows `page` of it in the view. */
export async function fillCallHistory(
  services: HistoryServices,
  client: webApi.WebClient,
  logger: Logger,
  request: { viewId: string; segmentId: string; viewer: SlackUser; page?: number },
): Promise<void> {
  let view: ReturnType<typeof callHistoryView>;
  try {
    const identity = await services.people.identityOf(request.viewer);
    const history = await services.history.read(
      request.segmentId,
      request.viewer.workspaceId,
      identity ? { identityId: identity.id } : undefined,
    );
    for (const problem of history.problems) {
      logger.warn(...logArgs(`Reading the ${problem.what} on a call from Flex failed`, problem.error));
    }
    view = callHistoryView(history, request.page);
  } catch (error) {
    logger.error(...logArgs("Reading a call's history failed", error));
    view = callHistoryUnavailableView(request.segmentId);
  }
  // The person may have closed it meanwhile: nothing else to tell them.
  await client.views
    .update({ view_id: request.viewId, view })
    .catch((error: unknown) => logger.debug(`Could not show the call history in view ${request.viewId}`, error));
}
