import type { App, ViewSubmitAction } from '@slack/bolt';
import { COMMENT_MODAL_CALLBACK_ID } from '../views/block-ids.js';
import { qmCommand } from './commands/qm-command.js';
import { type ListenerServices, QM_COMMAND } from './services.js';
import { commentSubmission } from './views/comment-submission.js';

/** The one place that says which Slack surface reaches which listener. */
export function registerListeners(app: App, services: ListenerServices): void {
  app.command(QM_COMMAND, qmCommand(services));
  app.view<ViewSubmitAction>(COMMENT_MODAL_CALLBACK_ID, commentSubmission(services));
}
