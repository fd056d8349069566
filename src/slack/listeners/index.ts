import type { App, BlockAction, ButtonAction, MessageShortcut, ViewSubmitAction } from '@slack/bolt';
import { ignoreUnknownRequests, type KnownIds } from '../middleware/ignore-unknown.js';
import { RETRY_ACTION_ID } from '../notifications/outcome-messages.js';
import { QUESTIONNAIRES_SYNC_ACTION_ID } from '../scorecards/questionnaire-home.js';
import { COMMENT_MODAL_CALLBACK_ID } from '../views/block-ids.js';
import {
  CALL_HISTORY_ACTION_ID,
  CALL_HISTORY_NEWER_ACTION_ID,
  CALL_HISTORY_OLDER_ACTION_ID,
} from '../views/call-history-view.js';
import { COMMENT_FROM_UNFURL_ACTION_ID } from '../views/call-unfurl.js';
import { CHOOSE_CALL_CALLBACK_ID, NO_CALL_CALLBACK_ID } from '../views/choose-call-modal.js';
import {
  HOME_SYNC_ACTION_ID,
  LINK_APPROVE_ACTION_ID,
  LINK_MODAL_CALLBACK_ID,
  LINK_REJECT_ACTION_ID,
} from '../views/identity-views.js';
import { callHistoryButton } from './actions/call-history-button.js';
import { callHistoryPage } from './actions/call-history-page.js';
import { commentFromUnfurl } from './actions/comment-from-unfurl.js';
import { linkDecision } from './actions/link-decision.js';
import { retryAssessment } from './actions/retry-assessment.js';
import { syncFromHomeButton, syncQuestionnairesButton } from './actions/sync-from-home.js';
import { qmCommand } from './commands/qm-command.js';
import { appHomeOpened } from './events/app-home-opened.js';
import { appUninstalled } from './events/app-uninstalled.js';
import { linkShared } from './events/link-shared.js';
import { tokensRevoked } from './events/tokens-revoked.js';
import { type ListenerServices, QM_COMMAND } from './services.js';
import { COMMENT_ON_CALL_CALLBACK_ID, commentOnCallShortcut } from './shortcuts/comment-on-call.js';
import { chooseCallSubmission } from './views/choose-call-submission.js';
import { commentSubmission } from './views/comment-submission.js';
import { linkSubmission } from './views/link-submission.js';

/** Every id registered below; anything else is answered and logged by ignoreUnknownRequests. */
export const KNOWN_IDS: KnownIds = {
  commands: [QM_COMMAND],
  shortcuts: [COMMENT_ON_CALL_CALLBACK_ID],
  views: [COMMENT_MODAL_CALLBACK_ID, CHOOSE_CALL_CALLBACK_ID, NO_CALL_CALLBACK_ID, LINK_MODAL_CALLBACK_ID],
  actions: [
    COMMENT_FROM_UNFURL_ACTION_ID,
    RETRY_ACTION_ID,
    LINK_APPROVE_ACTION_ID,
    LINK_REJECT_ACTION_ID,
    HOME_SYNC_ACTION_ID,
    CALL_HISTORY_ACTION_ID,
    CALL_HISTORY_NEWER_ACTION_ID,
    CALL_HISTORY_OLDER_ACTION_ID,
    QUESTIONNAIRES_SYNC_ACTION_ID,
  ],
  events: ['link_shared', 'app_home_opened', 'app_uninstalled', 'tokens_revoked'],
};

/** The one place that says which Slack surface reaches which listener. */
export function registerListeners(app: App, services: ListenerServices): void {
  const more = services.moreKnownIds ?? {};
  const known: KnownIds = {
    commands: [...KNOWN_IDS.commands, ...(more.commands ?? [])],
    shortcuts: [...KNOWN_IDS.shortcuts, ...(more.shortcuts ?? [])],
    views: [...KNOWN_IDS.views, ...(more.views ?? [])],
    actions: [...KNOWN_IDS.actions, ...(more.actions ?? [])],
    events: [...KNOWN_IDS.events, ...(more.events ?? [])],
  };
  app.use(ignoreUnknownRequests(known));
  app.command(QM_COMMAND, qmCommand(services));
  app.shortcut<MessageShortcut>(COMMENT_ON_CALL_CALLBACK_ID, commentOnCallShortcut(services));
  app.view<ViewSubmitAction>(COMMENT_MODAL_CALLBACK_ID, commentSubmission(services));
  app.view<ViewSubmitAction>(CHOOSE_CALL_CALLBACK_ID, chooseCallSubmission(services));
  app.view<ViewSubmitAction>(NO_CALL_CALLBACK_ID, chooseCallSubmission(services));
  app.event('link_shared', linkShared(services));
  app.action<BlockAction<ButtonAction>>(COMMENT_FROM_UNFURL_ACTION_ID, commentFromUnfurl(services));
  app.action<BlockAction<ButtonAction>>(CALL_HISTORY_ACTION_ID, callHistoryButton(services));
  app.action<BlockAction<ButtonAction>>(CALL_HISTORY_NEWER_ACTION_ID, callHistoryPage(services));
  app.action<BlockAction<ButtonAction>>(CALL_HISTORY_OLDER_ACTION_ID, callHistoryPage(services));
  app.view<ViewSubmitAction>(LINK_MODAL_CALLBACK_ID, linkSubmission(services));
  app.action<BlockAction<ButtonAction>>(LINK_APPROVE_ACTION_ID, linkDecision(services, true));
  app.action<BlockAction<ButtonAction>>(LINK_REJECT_ACTION_ID, linkDecision(services, false));
  app.event('app_home_opened', appHomeOpened(services));
  app.action<BlockAction<ButtonAction>>(HOME_SYNC_ACTION_ID, syncFromHomeButton(services));
  app.action<BlockAction<ButtonAction>>(QUESTIONNAIRES_SYNC_ACTION_ID, syncQuestionnairesButton(services));
  app.action<BlockAction<ButtonAction>>(RETRY_ACTION_ID, retryAssessment(services));
  app.event('app_uninstalled', appUninstalled(services));
  app.event('tokens_revoked', tokensRevoked(services));
}
