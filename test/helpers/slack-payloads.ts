/**
 * Payloads as Slack sends them to an app (shapes from Slack's command and interaction docs, see
 * docs/slack-platform.md §3). Builders that take a view or message read its blocks, so a test
 * can only "type into" or "click" what the app really showed.
 */
type Json = Record<string, unknown>;

const DEFAULT_APP_ID = 'A0FLEXQM01';
const VERIFICATION_TOKEN = 'deprecated-verification-token';

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const nowTs = (suffix: string) => `${Math.floor(Date.now() / 1000)}.${suffix}`;
const randomTriggerId = () =>
  `${Math.floor(Math.random() * 1e10)}.${Math.floor(Date.now() / 1000)}.${Math.random().toString(16).slice(2)}`;

export interface SlackUserRef {
  id: string;
  name: string;
  teamId: string;
}

export interface SlackTeamRef {
  id: string;
  domain: string;
}

/** An Enterprise Grid org the request's team belongs to; `orgInstall` when the app is installed org-wide. */
export interface SlackGridRef {
  enterpriseId: string;
  enterpriseName: string;
  orgInstall: boolean;
}

/** The team, enterprise and is_enterprise_install fields of an interaction payload, as Slack sends them. */
function teamFields(team: SlackTeamRef, grid: SlackGridRef | undefined): Json {
  return {
    team: {
      id: team.id,
      domain: team.domain,
      ...(grid ? { enterprise_id: grid.enterpriseId, enterprise_name: grid.enterpriseName } : {}),
    },
    enterprise: grid ? { id: grid.enterpriseId, name: grid.enterpriseName } : null,
    is_enterprise_install: grid?.orgInstall ?? false,
  };
}

/** The form fields of a slash command (Slack sends them directly, not in a `payload`). */
export function slashCommandFields(input: {
  command: string;
  text: string;
  userId: string;
  userName?: string;
  teamId: string;
  teamDomain?: string;
  channelId: string;
  channelName?: string;
  triggerId: string;
  responseUrl: string;
  enterpriseId?: string;
  /** The app is installed org-wide in the enterprise (Slack sends the string "true"). */
  isEnterpriseInstall?: boolean;
  apiAppId?: string;
}): Record<string, string> {
  return {
    token: VERIFICATION_TOKEN,
    team_id: input.teamId,
    team_domain: input.teamDomain ?? 'acme',
    ...(input.enterpriseId ? { enterprise_id: input.enterpriseId, enterprise_name: 'Acme Grid' } : {}),
    channel_id: input.channelId,
    channel_name: input.channelName ?? 'general',
    user_id: input.userId,
    user_name: input.userName ?? input.userId.toLowerCase(),
    command: input.command,
    text: input.text,
    api_app_id: input.apiAppId ?? DEFAULT_APP_ID,
    is_enterprise_install: input.isEnterpriseInstall ? 'true' : 'false',
    response_url: input.responseUrl,
    trigger_id: input.triggerId,
  };
}

/** A message shortcut (`message_action`): the only interaction besides commands that has a response_url. */
export function messageShortcutPayload(input: {
  callbackId: string;
  triggerId: string;
  responseUrl: string;
  user: SlackUserRef;
  team: SlackTeamRef;
  channel: { id: string; name: string };
  /** As Slack sends it: `user` is absent on bot messages, `thread_ts` present on thread messages. */
  message: {
    ts: string;
    text?: string;
    user?: string;
    bot_id?: string;
    thread_ts?: string;
    blocks?: unknown[];
    attachments?: unknown[];
  };
  apiAppId?: string;
}): Json {
  return {
    type: 'message_action',
    token: VERIFICATION_TOKEN,
    action_ts: nowTs('000100'),
    team: { id: input.team.id, domain: input.team.domain },
    user: { id: input.user.id, name: input.user.name, username: input.user.name, team_id: input.user.teamId },
    channel: input.channel,
    is_enterprise_install: false,
    enterprise: null,
    api_app_id: input.apiAppId ?? DEFAULT_APP_ID,
    callback_id: input.callbackId,
    trigger_id: input.triggerId,
    response_url: input.responseUrl,
    message_ts: input.message.ts,
    message: { type: 'message', team: input.team.id, ...input.message },
  };
}

/**
 * What a person entered into one input:
 * - a string: text typed; a select, radio or overflow option's value; a user, conversation or channel
 *   id; a date (YYYY-MM-DD) or time (HH:mm); a number as typed
 * - a number: number_input, or datetimepicker seconds
 * - a string array: the values or ids picked in a multi-select or checkboxes
 * - `{ text, value }`: an external_select option (its text is not in the view)
 * - null: the input cleared (or left empty)
 */
export type EnteredValue = string | number | readonly string[] | { text: string; value: string } | null;

/**
 * A view submission for a view as Slack holds it (pass what the fake returned from views.open/update).
 * `values` maps input block ids to what was entered; every input block of the view appears in the
 * state, as Slack sends it: untouched ones show their initial value, or are empty.
 */
export function viewSubmissionPayload(input: {
  view: Json;
  values: Record<string, EnteredValue>;
  user: SlackUserRef;
  team: SlackTeamRef;
  /** Pass one from the fake's issueTriggerId() if the app opens or pushes a view with it. */
  triggerId?: string;
  responseUrls?: Json[];
  apiAppId?: string;
  grid?: SlackGridRef;
}): Json {
  return {
    type: 'view_submission',
    ...teamFields(input.team, input.grid),
    user: { id: input.user.id, username: input.user.name, name: input.user.name, team_id: input.user.teamId },
    api_app_id: input.apiAppId ?? DEFAULT_APP_ID,
    token: VERIFICATION_TOKEN,
    trigger_id: input.triggerId ?? randomTriggerId(),
    view: { ...input.view, state: { values: viewState(input.view, input.values) } },
    response_urls: input.responseUrls ?? [],
  };
}

/** `state.values[block_id][action_id]` for every input block of a view. */
export function viewState(view: Json, values: Record<string, EnteredValue>): Record<string, Record<string, Json>> {
  const inputs = new Map<string, Json>();
  for (const block of blocksOf(view)) {
    if (block.type === 'input' && typeof block.block_id === 'string' && isObject(block.element)) {
      inputs.set(block.block_id, block.element);
    }
  }
  for (const blockId of Object.keys(values)) {
    if (!inputs.has(blockId)) {
      throw new Error(
        `The view has no input block "${blockId}" (its inputs: ${[...inputs.keys()].join(', ') || 'none'})`,
      );
    }
  }
  const state: Record<string, Record<string, Json>> = {};
  for (const [blockId, element] of inputs) {
    const actionId = typeof element.action_id === 'string' ? element.action_id : blockId;
    const entered = Object.hasOwn(values, blockId) ? values[blockId] : undefined;
    state[blockId] = { [actionId]: elementValue(element, entered, blockId) };
  }
  return state;
}

function blocksOf(container: Json): Json[] {
  return Array.isArray(container.blocks) ? container.blocks.filter(isObject) : [];
}

/** Every option an element offers, groups flattened. */
export function optionsOf(element: Json): Json[] {
  const direct = Array.isArray(element.options) ? element.options.filter(isObject) : [];
  const grouped = Array.isArray(element.option_groups)
    ? element.option_groups
        .filter(isObject)
        .flatMap((g) => (Array.isArray(g.options) ? g.options.filter(isObject) : []))
    : [];
  return [...direct, ...grouped];
}

/** An option as Slack echoes it back: plain_text gains `emoji: true`. */
function echoOption(option: Json): Json {
  const text =
    isObject(option.text) && option.text.type === 'plain_text' ? { emoji: true, ...option.text } : option.text;
  return { ...option, text };
}

function pickOption(element: Json, value: string, where: string): Json {
  const option = optionsOf(element).find((o) => o.value === value);
  if (!option) {
    const offered = optionsOf(element).map((o) => String(o.value));
    throw new Error(`${where} has no option "${value}" (it offers: ${offered.join(', ')})`);
  }
  return echoOption(option);
}

function externalOption(entered: EnteredValue, where: string): Json {
  if (typeof entered === 'string') return { text: { type: 'plain_text', text: entered, emoji: true }, value: entered };
  if (isObject(entered) && typeof entered.text === 'string' && typeof entered.value === 'string') {
    return { text: { type: 'plain_text', text: entered.text, emoji: true }, value: entered.value };
  }
  throw new Error(`${where} takes an option value or { text, value }`);
}

function asStrings(entered: EnteredValue, where: string): string[] {
  if (Array.isArray(entered) && entered.every((item) => typeof item === 'string')) return [...entered];
  throw new Error(`${where} takes an array of strings`);
}

function asString(entered: EnteredValue, where: string): string {
  if (typeof entered === 'string') return entered;
  if (typeof entered === 'number') return String(entered);
  throw new Error(`${where} takes a string`);
}

const SINGLE_ID_FIELDS: Record<string, [field: string, initial: string]> = {
  users_select: ['selected_user', 'initial_user'],
  conversations_select: ['selected_conversation', 'initial_conversation'],
  channels_select: ['selected_channel', 'initial_channel'],
  datepicker: ['selected_date', 'initial_date'],
  timepicker: ['selected_time', 'initial_time'],
};

const MULTI_ID_FIELDS: Record<string, [field: string, initial: string]> = {
  multi_users_select: ['selected_users', 'initial_users'],
  multi_conversations_select: ['selected_conversations', 'initial_conversations'],
  multi_channels_select: ['selected_channels', 'initial_channels'],
};

/**
 * The state Slack reports for one element. `entered` undefined means untouched: Slack then reports the
 * element's initial value, or an empty one.
 */
function elementValue(element: Json, entered: EnteredValue | undefined, blockId: string): Json {
  const type = String(element.type);
  const where = `"${blockId}" (${type})`;
  const untouched = entered === undefined;
  const empty = entered === null || entered === '';
  switch (type) {
    case 'plain_text_input':
    case 'email_text_input':
    case 'url_text_input':
    case 'number_input': {
      if (untouched) return { type, value: typeof element.initial_value === 'string' ? element.initial_value : null };
      return { type, value: empty ? null : asString(entered, where) };
    }
    case 'rich_text_input': {
      if (untouched) return { type, rich_text_value: isObject(element.initial_value) ? element.initial_value : null };
      const text = empty ? '' : asString(entered, where);
      return {
        type,
        rich_text_value: {
          type: 'rich_text',
          elements: [{ type: 'rich_text_section', elements: text ? [{ type: 'text', text }] : [] }],
        },
      };
    }
    case 'static_select':
    case 'radio_buttons': {
      if (untouched) {
        return { type, selected_option: isObject(element.initial_option) ? echoOption(element.initial_option) : null };
      }
      return { type, selected_option: empty ? null : pickOption(element, asString(entered, where), where) };
    }
    case 'external_select': {
      if (untouched) {
        return { type, selected_option: isObject(element.initial_option) ? echoOption(element.initial_option) : null };
      }
      return { type, selected_option: empty ? null : externalOption(entered, where) };
    }
    case 'multi_static_select':
    case 'checkboxes':
    case 'multi_external_select': {
      if (untouched) {
        const initial = Array.isArray(element.initial_options) ? element.initial_options.filter(isObject) : [];
        return { type, selected_options: initial.map(echoOption) };
      }
      const picked = empty ? [] : asStrings(entered, where);
      return {
        type,
        selected_options:
          type === 'multi_external_select'
            ? picked.map((value) => externalOption(value, where))
            : picked.map((value) => pickOption(element, value, where)),
      };
    }
    case 'datetimepicker': {
      if (untouched) return { type, selected_date_time: element.initial_date_time ?? null };
      if (empty) return { type, selected_date_time: null };
      if (typeof entered !== 'number') throw new Error(`${where} takes epoch seconds`);
      return { type, selected_date_time: entered };
    }
    default: {
      const single = SINGLE_ID_FIELDS[type];
      if (single) {
        const [field, initial] = single;
        if (untouched) return { type, [field]: element[initial] ?? null };
        return { type, [field]: empty ? null : asString(entered, where) };
      }
      const multi = MULTI_ID_FIELDS[type];
      if (multi) {
        const [field, initial] = multi;
        if (untouched) return { type, [field]: Array.isArray(element[initial]) ? element[initial] : [] };
        return { type, [field]: empty ? [] : asStrings(entered, where) };
      }
      if (untouched) return { type };
      throw new Error(`The payload builder cannot fill ${where}`);
    }
  }
}

interface FoundElement {
  element: Json;
  blockId: string;
}

/** Where Slack sends block_actions from: actions blocks, section accessories, dispatching inputs. */
function findInteractive(container: Json, actionId: string, blockId: string | undefined): FoundElement {
  for (const block of blocksOf(container)) {
    if (typeof block.block_id !== 'string' || (blockId !== undefined && block.block_id !== blockId)) continue;
    const candidates: Json[] = [];
    if (block.type === 'actions' && Array.isArray(block.elements)) candidates.push(...block.elements.filter(isObject));
    if (block.type === 'section' && isObject(block.accessory)) candidates.push(block.accessory);
    if (block.type === 'input' && isObject(block.element)) {
      if (block.element.action_id === actionId && block.dispatch_action !== true) {
        throw new Error(`"${actionId}" is in an input block without dispatch_action: Slack sends no block_actions`);
      }
      candidates.push(block.element);
    }
    const element = candidates.find((candidate) => candidate.action_id === actionId);
    if (element) return { element, blockId: block.block_id };
  }
  throw new Error(`No interactive element "${actionId}"${blockId ? ` in block "${blockId}"` : ''} to act on`);
}

/**
 * A click or pick on an element the app showed, in a view (`view`) or a message (`message` +
 * `channel`). `value` is what was picked (see EnteredValue); buttons send their own value.
 */
export function blockActionsPayload(input: {
  actionId: string;
  blockId?: string;
  value?: EnteredValue;
  user: SlackUserRef;
  team: SlackTeamRef;
  triggerId?: string;
  /** For a view: what its inputs hold at the time of the click. */
  view?: Json;
  values?: Record<string, EnteredValue>;
  /** For a message: the message as the fake holds it (blocks with ids) and where it is. */
  message?: Json;
  channel?: { id: string; name: string };
  responseUrl?: string;
  apiAppId?: string;
  grid?: SlackGridRef;
}): Json {
  const container = input.view ?? input.message;
  if (!container) throw new Error('blockActionsPayload needs the view or the message the element is in');
  const { element, blockId } = findInteractive(container, input.actionId, input.blockId);
  const type = String(element.type);
  const where = `"${blockId}/${input.actionId}" (${type})`;
  let action: Json;
  if (type === 'button') {
    action = { type, text: element.text, ...(element.value !== undefined ? { value: element.value } : {}) };
    if (element.style !== undefined) action.style = element.style;
  } else if (type === 'overflow') {
    action = { type, selected_option: pickOption(element, asString(input.value ?? null, where), where) };
  } else {
    action = elementValue(element, input.value === undefined ? null : input.value, blockId);
  }
  const common = {
    type: 'block_actions',
    user: { id: input.user.id, username: input.user.name, name: input.user.name, team_id: input.user.teamId },
    api_app_id: input.apiAppId ?? DEFAULT_APP_ID,
    token: VERIFICATION_TOKEN,
    trigger_id: input.triggerId ?? randomTriggerId(),
    ...teamFields(input.team, input.grid),
    actions: [{ ...action, action_id: input.actionId, block_id: blockId, action_ts: nowTs('000200') }],
  };
  if (input.view) {
    return {
      ...common,
      container: { type: 'view', view_id: input.view.id },
      view: { ...input.view, state: { values: viewState(input.view, input.values ?? {}) } },
    };
  }
  const channel = input.channel;
  if (!channel) throw new Error('A block action on a message needs the channel it is in');
  return {
    ...common,
    container: { type: 'message', message_ts: input.message?.ts, channel_id: channel.id, is_ephemeral: false },
    channel,
    message: input.message,
    state: { values: {} },
    ...(input.responseUrl ? { response_url: input.responseUrl } : {}),
  };
}

/**
 * A click on the Comment button of an app's call preview (unfurl). Slack's container is the unfurl
 * attachment, and such a payload has no response_url; `blocks` are the preview's, when the test has them.
 */
export function unfurlButtonPayload(input: {
  user: SlackUserRef;
  team: SlackTeamRef;
  channel: { id: string; name: string };
  messageTs: string;
  value: string;
  text?: unknown;
  blocks?: Json[];
  triggerId?: string;
  /** The button's ids in the preview (the app's Comment button unless given). */
  actionId?: string;
  blockId?: string;
}): Json {
  return {
    type: 'block_actions',
    user: { id: input.user.id, username: input.user.name, name: input.user.name, team_id: input.user.teamId },
    api_app_id: DEFAULT_APP_ID,
    token: VERIFICATION_TOKEN,
    container: {
      type: 'message_attachment',
      message_ts: input.messageTs,
      attachment_id: 1,
      channel_id: input.channel.id,
      is_ephemeral: false,
      is_app_unfurl: true,
    },
    trigger_id: input.triggerId ?? randomTriggerId(),
    ...teamFields(input.team, undefined),
    channel: input.channel,
    ...(input.blocks ? { app_unfurl: { blocks: input.blocks } } : {}),
    is_app_unfurl: true,
    actions: [
      {
        type: 'button',
        action_id: input.actionId ?? 'qm_comment_on_unfurl',
        block_id: input.blockId ?? 'x1',
        text: input.text ?? { type: 'plain_text', text: 'Comment', emoji: true },
        value: input.value,
        action_ts: nowTs('000300'),
      },
    ],
  };
}

/** An Events API envelope (`event_callback`) around one event, as Slack posts it as JSON. */
export function eventCallback(input: { teamId: string; event: Json; eventId?: string; apiAppId?: string }): Json {
  return {
    token: VERIFICATION_TOKEN,
    team_id: input.teamId,
    api_app_id: input.apiAppId ?? DEFAULT_APP_ID,
    type: 'event_callback',
    event_id: input.eventId ?? `Ev${Math.random().toString(36).slice(2, 12).toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    event: input.event,
  };
}

/** Someone opened the app's Home tab. */
export function appHomeOpenedEvent(userId: string): Json {
  return {
    type: 'app_home_opened',
    user: userId,
    channel: `D${userId.slice(1)}`,
    tab: 'home',
    event_ts: nowTs('000300'),
  };
}

/** Someone posted links of the app's unfurl domains in a message. */
export function linkSharedEvent(input: { channel: string; userId: string; messageTs: string; links: string[] }): Json {
  return {
    type: 'link_shared',
    channel: input.channel,
    is_bot_user_member: true,
    user: input.userId,
    message_ts: input.messageTs,
    unfurl_id: `${input.channel}.${input.messageTs}.unfurl`,
    source: 'conversations_history',
    links: input.links.map((url) => ({ domain: new URL(url).hostname, url })),
    event_ts: input.messageTs,
  };
}
