import assert from 'node:assert/strict';
import type { RecordedCall } from '../fakes/fake-slack-api.js';
import { slashCommandFields, viewSubmissionPayload } from './slack-payloads.js';
import { REVIEWER, TEAM_ID, type TestApp } from './test-app.js';

/** What Slack sends when someone types `/qm <text>` in #qa. */
export function qmCommand(t: TestApp, text: string, userId = REVIEWER.userId): Record<string, string> {
  return slashCommandFields({
    command: '/qm',
    text,
    userId,
    teamId: TEAM_ID,
    channelId: 'C0QA00001',
    channelName: 'qa',
    triggerId: t.slack.issueTriggerId(),
    responseUrl: t.slack.newResponseUrl(),
  });
}

/** Sends `/qm <text>` and returns the modal's id once Slack has opened it, with the command's response_url. */
export async function openModalWithQm(t: TestApp, text: string, userId = REVIEWER.userId) {
  const command = qmCommand(t, text, userId);
  const ack = await t.sender.slashCommand(command);
  assert.equal(ack.status, 200);
  assert.equal(ack.text, '', 'the command is acknowledged with an empty 200');
  const open = await t.slack.waitForCall('views.open', (call) => call.args.trigger_id === command.trigger_id);
  assert.equal(open.result.ok, true, JSON.stringify(open.result));
  const viewId = String((open.result.view as { id: string }).id);
  return { command, viewId, responseUrl: String(command.response_url) };
}

/** Waits until the app has said what Flex knows about the call (the modal's second version). */
export function modalRefined(t: TestApp, viewId: string): Promise<RecordedCall> {
  return t.slack.waitForCall('views.update', (call) => call.args.view_id === viewId);
}

/** Submits the modal as Slack holds it now, with what the person entered. */
export function submitModal(
  t: TestApp,
  viewId: string,
  values: Record<string, string | null>,
  userId = REVIEWER.userId,
) {
  return t.sender.interaction(
    viewSubmissionPayload({
      view: t.slack.currentView(viewId),
      values,
      user: { id: userId, name: userId.toLowerCase(), teamId: TEAM_ID },
      team: { id: TEAM_ID, domain: 'acme' },
    }),
  );
}

/** The whole story: `/qm <text>`, the modal shows the call, the reviewer submits. */
export async function commentWithQm(t: TestApp, text: string, values: Record<string, string | null>) {
  const opened = await openModalWithQm(t, text);
  await modalRefined(t, opened.viewId);
  const submission = await submitModal(t, opened.viewId, values);
  assert.equal(submission.status, 200);
  return opened;
}
