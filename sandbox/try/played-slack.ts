/**
 * Slack's side of the try page: what Slack's client and servers do when a person acts, for the people of
 * the sandbox's world. Each act becomes the request Slack would send the app (the tests' payload builders,
 * signed by the tests' SlackSender), with triggers and response_urls from the fake Slack; what the app
 * then shows (modals, messages, Home tabs) is read back from the fake. Nothing here knows what the app
 * does with a request: it only knows Slack.
 */

import type { PostedMessage, SlackView } from '../../test/fakes/fake-slack-api.js';
import { isObject, type Json } from '../../test/fakes/slack/wire.js';
import { dmIdOf } from '../../test/fakes/slack/workspace.js';
import {
  appHomeOpenedEvent,
  blockActionsPayload,
  type EnteredValue,
  eventCallback,
  linkSharedEvent,
  messageShortcutPayload,
  slashCommandFields,
  unfurlButtonPayload,
  viewSubmissionPayload,
} from '../../test/helpers/slack-payloads.js';
import type { SlackSender, SlackSendResult } from '../../test/helpers/slack-requests.js';
import type { Fakes } from '../../test/helpers/start-fakes.js';
import type { World, WorldPerson } from '../../test/helpers/world.js';
import { type ManifestFeatures, unfurlableLinks } from './manifest-features.js';

/** What the page is told after an act: fine, or what Slack would show the person instead. */
export type ActOutcome =
  | { ok: true }
  | { ok: false; error: string }
  /** A view submission answered `response_action: errors`: the message beside each field. */
  | { ok: false; errors: Record<string, string> };

/** A message only the person's client shows (a command's immediate reply, Slackbot's "not a command"). */
export type ShownMessage = PostedMessage & { local?: true };

const SLACKBOT = 'USLACKBOT';

/** Slack's ts order: seconds, then the six digits after the dot (a float would lose the last of them). */
export function compareTs(a: string, b: string): number {
  const [as = '0', af = '0'] = a.split('.');
  const [bs = '0', bf = '0'] = b.split('.');
  return Number(as) - Number(bs) || Number(af) - Number(bf);
}

export class PlayedSlack {
  /** Who acted when each trigger was issued: the modal the app opens with it is theirs. */
  private readonly triggerOwners = new Map<string, string>();
  /** Each person's open modals, root first. */
  private readonly stacks = new Map<string, string[]>();
  private scanned = 0;
  private readonly local: ShownMessage[] = [];
  private typed = 0;

  constructor(
    private readonly options: {
      fakes: Fakes;
      sender: SlackSender;
      world: World;
      features: ManifestFeatures;
    },
  ) {}

  private get slack() {
    return this.options.fakes.slack;
  }

  person(userId: string): WorldPerson {
    const person = this.options.world.people.find((p) => p.userId === userId);
    if (!person) throw new Error(`No one in the sandbox's world has the id ${userId}`);
    return person;
  }

  // --- What the person sees ------------------------------------------------------------------------

  /** The messages the person's client shows: channels, their DM with the app, their own ephemerals. */
  messagesFor(userId: string): ShownMessage[] {
    const own = dmIdOf(userId);
    return [...this.slack.allMessages(), ...this.local]
      .filter((m) => m.ephemeralFor === undefined || m.ephemeralFor === userId)
      .filter((m) => !m.channel.startsWith('D') || m.channel === own)
      .sort((a, b) => compareTs(a.ts, b.ts));
  }

  /** The modal on top of the person's stack, as it shows now, and how many are under it. */
  modalFor(userId: string): { view: SlackView; depth: number } | undefined {
    this.scan();
    const stack = this.stacks.get(userId) ?? [];
    const top = stack.at(-1);
    return top ? { view: this.slack.currentView(top), depth: stack.length } : undefined;
  }

  /** The person's Home tab, as the app last published it. */
  homeFor(userId: string): SlackView | undefined {
    const call = this.slack
      .calls('views.publish')
      .findLast((c) => c.result.ok === true && c.args.user_id === userId && isObject(c.result.view));
    const id = isObject(call?.result.view) ? call.result.view.id : undefined;
    return typeof id === 'string' ? this.slack.currentView(id) : undefined;
  }

  // --- What the person does -------------------------------------------------------------------------

  /** Typed into the message box of a conversation: a slash command, or a message (whose links may unfurl). */
  async type(userId: string, channel: string, typed: string, threadTs?: string): Promise<ActOutcome> {
    const text = typed.trim();
    if (!text) return { ok: true };
    const command = /^(\/\S+)(?:\s+([\s\S]*))?$/.exec(text);
    if (command?.[1]) return this.slashCommand(userId, channel, command[1], command[2] ?? '');
    return this.postMessage(userId, channel, text, threadTs);
  }

  private async slashCommand(userId: string, channel: string, command: string, text: string): Promise<ActOutcome> {
    const person = this.person(userId);
    if (!this.options.features.commands.some((c) => c.command === command)) {
      // What Slack's client answers for a command no app in the workspace has.
      this.addLocal(channel, userId, SLACKBOT, {
        text: `${command} is not a valid command. In Slack, all messages that start with the "/" character are interpreted as commands.`,
      });
      return { ok: true };
    }
    const result = await this.options.sender.slashCommand(
      slashCommandFields({
        command,
        text,
        userId,
        userName: person.handle,
        teamId: this.options.world.team.id,
        teamDomain: this.options.world.team.domain,
        channelId: channel,
        channelName: this.channelName(channel),
        triggerId: this.trigger(userId),
        responseUrl: this.slack.newResponseUrl({ channel, userId }),
      }),
    );
    // Slack shows a command's immediate reply (the acknowledgement's body) to the person, or to the channel.
    if (result.status !== 200) {
      this.addLocal(channel, userId, SLACKBOT, {
        text: `${command} failed with the error "dispatch_failed" (the app answered ${result.status})`,
      });
      return { ok: true };
    }
    const reply = isObject(result.json) ? result.json : result.text ? { text: result.text } : undefined;
    if (reply && (typeof reply.text === 'string' || Array.isArray(reply.blocks))) {
      this.addLocal(channel, reply.response_type === 'in_channel' ? undefined : userId, this.slack.botUserId, {
        ...(typeof reply.text === 'string' ? { text: reply.text } : {}),
        ...(Array.isArray(reply.blocks) ? { blocks: reply.blocks } : {}),
      });
    }
    return { ok: true };
  }

  /** A person's message, as Slack's client sends it (&, <, > escaped, links and @mentions marked up). */
  private async postMessage(userId: string, channel: string, typed: string, threadTs?: string): Promise<ActOutcome> {
    const handles = new Map(this.options.world.people.map((p) => [p.handle, p.userId]));
    const text = typed
      .replaceAll('&', '&amp;')
      .replaceAll('<', '&lt;')
      .replaceAll('>', '&gt;')
      .replace(/https?:\/\/[^\s<>]+/g, (url) => `<${url}>`)
      .replace(/(^|\s)@([a-z0-9._-]+)/g, (whole, space: string, handle: string) => {
        const id = handles.get(handle);
        return id ? `${space}<@${id}>` : whole;
      });
    this.typed += 1;
    // Above the fake's own message counter, so the two never give the same ts.
    const ts = `${Math.floor(Date.now() / 1000)}.${String(900_000 + (this.typed % 100_000)).padStart(6, '0')}`;
    this.slack.addMessage(channel, { ts, text, user: userId, ...(threadTs ? { threadTs } : {}) });
    const links = unfurlableLinks(text.replaceAll('&amp;', '&'), this.options.features.unfurlDomains);
    if (links.length === 0) return { ok: true };
    const event = linkSharedEvent({ channel, userId, messageTs: ts, links });
    event.is_bot_user_member = this.options.world.channels.find((c) => c.id === channel)?.isMember !== false;
    return this.outcome(await this.options.sender.event(eventCallback({ teamId: this.options.world.team.id, event })));
  }

  /** A message shortcut from the message's ⋮ menu. */
  async shortcut(userId: string, channel: string, ts: string, callbackId: string): Promise<ActOutcome> {
    const person = this.person(userId);
    const message = this.findMessage(userId, channel, ts);
    return this.outcome(
      await this.options.sender.interaction(
        messageShortcutPayload({
          callbackId,
          triggerId: this.trigger(userId),
          responseUrl: this.slack.newResponseUrl({ channel, userId }),
          user: this.userRef(person),
          team: this.team(),
          channel: { id: channel, name: this.channelName(channel) },
          message: this.messageAsSent(message),
        }),
      ),
    );
  }

  /** The person opens the app's Home tab. */
  async openHome(userId: string): Promise<ActOutcome> {
    return this.outcome(
      await this.options.sender.event(
        eventCallback({ teamId: this.options.world.team.id, event: appHomeOpenedEvent(userId) }),
      ),
    );
  }

  /** A click (or a pick) on an element of a message, of one of its link previews, of a modal or of the Home tab. */
  async blockAction(
    userId: string,
    where:
      | { in: 'message'; channel: string; ts: string }
      | { in: 'unfurl'; channel: string; ts: string; url: string }
      | { in: 'view'; viewId: string; values: Record<string, EnteredValue> },
    action: { actionId: string; blockId: string; value?: EnteredValue },
  ): Promise<ActOutcome> {
    const person = this.person(userId);
    const common = {
      actionId: action.actionId,
      blockId: action.blockId,
      user: this.userRef(person),
      team: this.team(),
      ...(action.value !== undefined ? { value: action.value } : {}),
    };
    if (where.in === 'view') {
      const view = this.slack.currentView(where.viewId);
      return this.outcome(
        await this.options.sender.interaction(
          blockActionsPayload({
            ...common,
            view,
            values: inputsOf(view, where.values),
            triggerId: this.trigger(userId, view.id),
          }),
        ),
      );
    }
    const message = this.findMessage(userId, where.channel, where.ts);
    const channel = { id: where.channel, name: this.channelName(where.channel) };
    if (where.in === 'unfurl') {
      const preview = isObject(message.unfurls) ? message.unfurls[where.url] : undefined;
      const blocks = isObject(preview) && Array.isArray(preview.blocks) ? preview.blocks.filter(isObject) : [];
      const button = blocks
        .flatMap((b) => (Array.isArray(b.elements) ? b.elements : isObject(b.accessory) ? [b.accessory] : []))
        .filter(isObject)
        .find((e) => e.action_id === action.actionId);
      if (button?.type !== 'button') return { ok: false, error: `The preview has no button ${action.actionId}` };
      return this.outcome(
        await this.options.sender.interaction(
          unfurlButtonPayload({
            user: this.userRef(person),
            team: this.team(),
            channel,
            messageTs: message.ts,
            value: typeof button.value === 'string' ? button.value : '',
            text: button.text,
            blocks,
            actionId: action.actionId,
            blockId: action.blockId,
            triggerId: this.trigger(userId),
          }),
        ),
      );
    }
    const payload = blockActionsPayload({
      ...common,
      message: this.messageAsSent(message),
      channel,
      responseUrl: this.slack.newResponseUrl({ channel: where.channel, userId, messageTs: message.ts }),
      triggerId: this.trigger(userId),
    });
    if (message.ephemeralFor !== undefined && isObject(payload.container)) payload.container.is_ephemeral = true;
    return this.outcome(await this.options.sender.interaction(payload));
  }

  /**
   * The modal's submit button: a view_submission with what the person entered (inputs they did not touch
   * report their initial values, as Slack's do), then what Slack does with the app's answer.
   * https://docs.slack.dev/surfaces/modals#interactions
   */
  async submit(userId: string, viewId: string, values: Record<string, EnteredValue>): Promise<ActOutcome> {
    const person = this.person(userId);
    const view = this.slack.currentView(viewId);
    let result: SlackSendResult;
    try {
      result = await this.options.sender.interaction(
        viewSubmissionPayload({
          view,
          values: inputsOf(view, values),
          user: this.userRef(person),
          team: this.team(),
          triggerId: this.trigger(userId, view.id),
        }),
      );
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
    if (result.status !== 200)
      return { ok: false, error: `We had some trouble connecting (the app answered ${result.status}).` };
    const answer = isObject(result.json) ? result.json : {};
    switch (answer.response_action) {
      case 'errors':
        return { ok: false, errors: isObject(answer.errors) ? stringValues(answer.errors) : {} };
      case 'update':
        // Slack applies the answer as it arrives, before anything the app does next; an update the app
        // already made (the hash moved on) came after it, so it stays.
        return this.viewsCall('views.update', { view_id: viewId, hash: view.hash, view: answer.view });
      case 'push':
        return this.viewsCall('views.push', { trigger_id: this.trigger(userId, viewId), view: answer.view });
      case 'clear':
        this.stacks.delete(userId);
        return { ok: true };
      default:
        this.stacks.get(userId)?.pop();
        return { ok: true };
    }
  }

  /** The modal's close button (back to the one under it) or its ✕ (`all`: every modal of the stack). */
  async close(userId: string, viewId: string, all: boolean): Promise<ActOutcome> {
    const stack = this.stacks.get(userId) ?? [];
    const view = this.slack.currentView(viewId);
    if (all) this.stacks.delete(userId);
    else stack.pop();
    if (!view.notify_on_close) return { ok: true };
    const person = this.person(userId);
    return this.outcome(
      await this.options.sender.interaction({
        type: 'view_closed',
        team: this.team(),
        user: { id: person.userId, username: person.handle, name: person.handle, team_id: this.options.world.team.id },
        api_app_id: this.slack.appId,
        view,
        is_cleared: all,
      }),
    );
  }

  // --- Bookkeeping ------------------------------------------------------------------------------------

  /** Follows the modals the app opened or pushed since last time onto the stack of whoever's trigger it used. */
  private scan(): void {
    const calls = this.slack.calls();
    for (const call of calls.slice(this.scanned)) {
      if ((call.method !== 'views.open' && call.method !== 'views.push') || call.result.ok !== true) continue;
      const owner = typeof call.args.trigger_id === 'string' ? this.triggerOwners.get(call.args.trigger_id) : undefined;
      const id = isObject(call.result.view) ? call.result.view.id : undefined;
      if (!owner || typeof id !== 'string') continue;
      if (call.method === 'views.open') this.stacks.set(owner, [id]);
      else this.stacks.set(owner, [...(this.stacks.get(owner) ?? []), id]);
    }
    this.scanned = calls.length;
  }

  private trigger(userId: string, viewId?: string): string {
    const trigger = this.slack.issueTriggerId(viewId ? { viewId } : {});
    this.triggerOwners.set(trigger, userId);
    return trigger;
  }

  /** What Slack does with the app's answer to a view submission: the same call the app could make. */
  private async viewsCall(method: 'views.update' | 'views.push', args: Json): Promise<ActOutcome> {
    const response = await fetch(`${this.slack.apiUrl}${method}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${this.options.world.bot.token}`,
        'content-type': 'application/json; charset=utf-8',
      },
      body: JSON.stringify(args),
    });
    const answer = (await response.json()) as { ok?: boolean; error?: string };
    this.scan();
    if (answer.error === 'hash_conflict') return { ok: true };
    return answer.ok
      ? { ok: true }
      : { ok: false, error: `Slack refused the view the app answered with: ${answer.error}` };
  }

  private outcome(result: SlackSendResult): ActOutcome {
    if (result.status === 200) return { ok: true };
    return { ok: false, error: `The app answered ${result.status}: ${result.text.slice(0, 300)}` };
  }

  private findMessage(userId: string, channel: string, ts: string): ShownMessage {
    const message = this.messagesFor(userId).find((m) => m.channel === channel && m.ts === ts);
    if (!message) throw new Error(`Slack has no message ${ts} in ${channel}`);
    return message;
  }

  /** A message as Slack puts it in a payload. */
  private messageAsSent(message: ShownMessage) {
    return {
      ts: message.ts,
      ...(message.text !== undefined ? { text: message.text } : {}),
      ...(typeof message.user === 'string' && !message.botId ? { user: message.user } : {}),
      ...(typeof message.botId === 'string' ? { bot_id: message.botId } : {}),
      ...(typeof message.threadTs === 'string' ? { thread_ts: message.threadTs } : {}),
      ...(Array.isArray(message.blocks) ? { blocks: message.blocks } : {}),
    };
  }

  private addLocal(channel: string, ephemeralFor: string | undefined, user: string, content: Json): void {
    this.typed += 1;
    this.local.push({
      channel,
      ts: `${Math.floor(Date.now() / 1000)}.${String(900_000 + (this.typed % 100_000)).padStart(6, '0')}`,
      user,
      ...(user === this.slack.botUserId ? { botId: this.slack.botId } : {}),
      ...(ephemeralFor ? { ephemeralFor } : {}),
      ...(typeof content.text === 'string' ? { text: content.text } : {}),
      ...(Array.isArray(content.blocks) ? { blocks: content.blocks } : {}),
      via: 'response_url',
      local: true,
    });
  }

  private channelName(id: string): string {
    if (id.startsWith('D')) return 'directmessage';
    return this.options.world.channels.find((c) => c.id === id)?.name ?? id;
  }

  private userRef(person: WorldPerson) {
    return { id: person.userId, name: person.handle, teamId: this.options.world.team.id };
  }

  private team() {
    return { id: this.options.world.team.id, domain: this.options.world.team.domain };
  }
}

/**
 * What was entered in the view's input blocks as it shows now: the page keeps what the person typed across
 * the app's updates, as Slack does for blocks that keep their block_id, and forgets blocks that are gone.
 */
function inputsOf(view: SlackView, values: Record<string, EnteredValue>): Record<string, EnteredValue> {
  const inputs = new Set(
    view.blocks.flatMap((b) => (b.type === 'input' && typeof b.block_id === 'string' ? [b.block_id] : [])),
  );
  return Object.fromEntries(Object.entries(values).filter(([blockId]) => inputs.has(blockId)));
}

function stringValues(record: Json): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, String(value)]));
}
