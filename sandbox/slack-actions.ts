/** What a person does in Slack, sent to the app as Slack sends it (payload builders shared with the tests). */
import { COMMENT_ON_CALL_CALLBACK_ID } from '../src/slack/listeners/shortcuts/comment-on-call.js';
import { isObject, type Json } from '../test/fakes/slack/wire.js';
import {
  appHomeOpenedEvent,
  blockActionsPayload,
  type EnteredValue,
  eventCallback,
  linkSharedEvent,
  messageShortcutPayload,
  optionsOf,
  slashCommandFields,
  unfurlButtonPayload,
  viewSubmissionPayload,
} from '../test/helpers/slack-payloads.js';
import type { SlackSender, SlackSendResult } from '../test/helpers/slack-requests.js';
import type { WorldPerson } from '../test/helpers/world.js';
import type { SandboxClient, SlackMessage, SlackView } from './sandbox-client.js';
import { MESSAGES, QA_CHANNEL, SANDBOX_WORLD } from './world.js';

const DEFAULT_COMMENT = 'Left from the sandbox: clear greeting, kind close.';

export interface SlackContext {
  client: SandboxClient;
  sender: SlackSender;
  actor: WorldPerson;
  channelId: string;
}

const team = { id: SANDBOX_WORLD.team.id, domain: SANDBOX_WORLD.team.domain };
const userRef = (actor: WorldPerson) => ({ id: actor.userId, name: actor.handle, teamId: team.id });
const channelRef = (id: string) => ({ id, name: SANDBOX_WORLD.channels.find((c) => c.id === id)?.name ?? id });

/** The person `--as` names (handle or user id). */
export function findPerson(who: string): WorldPerson {
  const person = SANDBOX_WORLD.people.find((p) => p.handle === who.replace(/^@/, '') || p.userId === who);
  if (!person) {
    throw new Error(`No one called ${who}; try one of ${SANDBOX_WORLD.people.map((p) => p.handle).join(', ')}`);
  }
  return person;
}

export async function slashCommand(ctx: SlackContext, text: string): Promise<SlackSendResult> {
  const channel = channelRef(ctx.channelId);
  return ctx.sender.slashCommand(
    slashCommandFields({
      command: '/qm',
      text,
      userId: ctx.actor.userId,
      userName: ctx.actor.handle,
      teamId: team.id,
      teamDomain: team.domain,
      channelId: channel.id,
      channelName: channel.name,
      triggerId: await ctx.client.triggerId(),
      responseUrl: await ctx.client.responseUrl(channel.id, ctx.actor.userId),
    }),
  );
}

/**
 * Submits the newest modal as it shows now: `entered` by block id; a select left empty gets its first
 * option, and a comment box its default text, so `submit` alone completes the comment form.
 */
export async function submitView(
  ctx: SlackContext,
  entered: Record<string, string>,
): Promise<{ view: SlackView; result: SlackSendResult }> {
  const view = await ctx.client.view();
  const values: Record<string, EnteredValue> = {};
  for (const block of Array.isArray(view.blocks) ? view.blocks.filter(isObject) : []) {
    if (block.type !== 'input' || typeof block.block_id !== 'string' || !isObject(block.element)) continue;
    const given = entered[block.block_id];
    const element = block.element;
    if (given !== undefined) {
      values[block.block_id] = optionValue(element, given);
    } else if (block.block_id === 'comment' && element.initial_value === undefined) {
      values[block.block_id] = DEFAULT_COMMENT;
    } else if (optionsOf(element).length > 0 && element.initial_option === undefined) {
      values[block.block_id] = String(optionsOf(element)[0]?.value);
    }
  }
  const result = await ctx.sender.interaction(
    viewSubmissionPayload({
      view,
      values,
      user: userRef(ctx.actor),
      team,
      triggerId: await ctx.client.triggerId(view.id),
    }),
  );
  // As Slack does: an answer `response_action: update` replaces the modal (e.g. the scoring form's next step).
  const answer = isObject(result.json) ? result.json : undefined;
  if (answer?.response_action === 'update' && isObject(answer.view)) {
    await ctx.client.replaceView(view.id, answer.view, SANDBOX_WORLD.bot.token);
  }
  return { view, result };
}

/** A select's option may be named by its text as the person sees it, not only by its value. */
function optionValue(element: Json, given: string): string {
  const option = optionsOf(element).find(
    (o) => o.value === given || (isObject(o.text) && String(o.text.text).toLowerCase() === given.toLowerCase()),
  );
  return option ? String(option.value) : given;
}

export async function messageShortcut(ctx: SlackContext, messageTs: string): Promise<SlackSendResult> {
  const message = await findMessage(ctx, messageTs);
  return ctx.sender.interaction(
    messageShortcutPayload({
      callbackId: COMMENT_ON_CALL_CALLBACK_ID,
      triggerId: await ctx.client.triggerId(),
      responseUrl: await ctx.client.responseUrl(message.channel, ctx.actor.userId),
      user: userRef(ctx.actor),
      team,
      channel: channelRef(message.channel),
      message: {
        ts: message.ts,
        ...(message.text !== undefined ? { text: message.text } : {}),
        ...(typeof message.user === 'string' ? { user: message.user } : {}),
        ...(typeof message.botId === 'string' ? { bot_id: message.botId } : {}),
        ...(typeof message.threadTs === 'string' ? { thread_ts: message.threadTs } : {}),
        ...(Array.isArray(message.blocks) ? { blocks: message.blocks } : {}),
      },
    }),
  );
}

export async function event(ctx: SlackContext, name: string, arg: string | undefined): Promise<SlackSendResult> {
  if (name === 'app_home_opened') {
    return ctx.sender.event(eventCallback({ teamId: team.id, event: appHomeOpenedEvent(ctx.actor.userId) }));
  }
  if (name === 'link_shared') {
    const message = await findMessage(ctx, arg ?? MESSAGES.oneCall);
    const links = [...(message.text ?? '').matchAll(/<(https?:\/\/[^>|]+)[^>]*>/g)].flatMap((m) =>
      m[1] ? [m[1]] : [],
    );
    return ctx.sender.event(
      eventCallback({
        teamId: team.id,
        event: linkSharedEvent({ channel: message.channel, userId: ctx.actor.userId, messageTs: message.ts, links }),
      }),
    );
  }
  throw new Error(`Unknown event ${name}: try app_home_opened, or link_shared [message_ts]`);
}

/**
 * Clicks the button (or picks in the select) `actionId`: in the newest message that has it, else in
 * the person's Home tab, else in the newest modal.
 */
export async function blockAction(
  ctx: SlackContext,
  actionId: string,
  value: string | undefined,
): Promise<SlackSendResult> {
  const has = (container: unknown) => (JSON.stringify(container) ?? '').includes(`"action_id":"${actionId}"`);
  const common = { actionId, user: userRef(ctx.actor), team, ...(value !== undefined ? { value } : {}) };
  const message = (await ctx.client.messages()).findLast((m) => has(m.blocks));
  if (message) {
    return ctx.sender.interaction(
      blockActionsPayload({
        ...common,
        message,
        channel: channelRef(message.channel),
        responseUrl: await ctx.client.responseUrl(message.channel, ctx.actor.userId),
        triggerId: await ctx.client.triggerId(),
      }),
    );
  }
  // A button in a call's preview (chat.unfurl): Slack's payload names the unfurl, with no response_url.
  for (const previewed of (await ctx.client.messages()).toReversed()) {
    const previews = isObject(previewed.unfurls) ? Object.values(previewed.unfurls) : [];
    const preview = previews.find((p) => isObject(p) && has(p.blocks));
    if (!isObject(preview) || !Array.isArray(preview.blocks)) continue;
    const button = findButton(preview.blocks, actionId);
    const payload = unfurlButtonPayload({
      user: userRef(ctx.actor),
      team,
      channel: channelRef(previewed.channel),
      messageTs: previewed.ts,
      value: String(button?.value ?? ''),
      text: button?.text,
      blocks: preview.blocks.filter(isObject),
      triggerId: await ctx.client.triggerId(),
    });
    const [clicked] = Array.isArray(payload.actions) ? payload.actions : [];
    payload.actions = [{ ...(isObject(clicked) ? clicked : {}), action_id: actionId }];
    return ctx.sender.interaction(payload);
  }
  const home = await ctx.client.view({ home: ctx.actor.userId }).catch(() => undefined);
  const view = home && has(home.blocks) ? home : await ctx.client.view();
  if (!has(view.blocks)) throw new Error(`Nothing the app showed has an element ${actionId}`);
  return ctx.sender.interaction(
    blockActionsPayload({ ...common, view, triggerId: await ctx.client.triggerId(view.id) }),
  );
}

/** The button `actionId` among blocks: a section's accessory or an actions block's element. */
function findButton(blocks: unknown[], actionId: string): Json | undefined {
  for (const block of blocks) {
    if (!isObject(block)) continue;
    const candidates = [block.accessory, ...(Array.isArray(block.elements) ? block.elements : [])];
    const found = candidates.find((e): e is Json => isObject(e) && e.action_id === actionId);
    if (found) return found;
  }
  return undefined;
}

async function findMessage(ctx: SlackContext, ts: string): Promise<SlackMessage> {
  const message = (await ctx.client.messages()).find((m) => m.ts === ts && m.ephemeralFor === undefined);
  if (!message)
    throw new Error(`Slack has no message ${ts}; the seeded ones are in #qa: ${Object.values(MESSAGES).join(', ')}`);
  return message;
}

export const DEFAULT_CHANNEL = QA_CHANNEL;
