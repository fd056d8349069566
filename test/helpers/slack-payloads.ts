/** Payloads as Slack sends them to an app (shapes from Slack's interaction and command docs). */
type Json = Record<string, unknown>;

const API_APP_ID = 'A0FLEXQM01';
const VERIFICATION_TOKEN = 'deprecated-verification-token';

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
    api_app_id: API_APP_ID,
    is_enterprise_install: 'false',
    response_url: input.responseUrl,
    trigger_id: input.triggerId,
  };
}

export interface SlackUserRef {
  id: string;
  name: string;
  teamId: string;
}

export function messageShortcutPayload(input: {
  callbackId: string;
  triggerId: string;
  responseUrl: string;
  user: SlackUserRef;
  team: { id: string; domain: string };
  channel: { id: string; name: string };
  message: {
    ts: string;
    text?: string;
    user?: string;
    thread_ts?: string;
    blocks?: unknown[];
    attachments?: unknown[];
  };
}): Json {
  return {
    type: 'message_action',
    token: VERIFICATION_TOKEN,
    action_ts: `${Math.floor(Date.now() / 1000)}.000100`,
    team: { id: input.team.id, domain: input.team.domain },
    user: { id: input.user.id, name: input.user.name, username: input.user.name, team_id: input.user.teamId },
    channel: input.channel,
    is_enterprise_install: false,
    enterprise: null,
    callback_id: input.callbackId,
    trigger_id: input.triggerId,
    response_url: input.responseUrl,
    message_ts: input.message.ts,
    message: { type: 'message', ...input.message },
  };
}

/**
 * A view submission for a view as Slack holds it: `values` maps block ids to what the person entered;
 * every input block of the view appears in the state, as Slack sends it, with untouched ones empty.
 */
export function viewSubmissionPayload(input: {
  view: Json;
  values: Record<string, string | null>;
  user: SlackUserRef;
  team: { id: string; domain: string };
}): Json {
  const blocks = Array.isArray(input.view.blocks) ? (input.view.blocks as Json[]) : [];
  const inputs = new Map(
    blocks
      .filter((block) => block.type === 'input' && typeof block.block_id === 'string')
      .map((block) => [block.block_id as string, block]),
  );
  for (const blockId of Object.keys(input.values)) {
    if (!inputs.has(blockId)) throw new Error(`The view has no input block "${blockId}" to fill in`);
  }
  const state: Record<string, Record<string, Json>> = {};
  for (const [blockId, block] of inputs) {
    const element = block.element as Json;
    const actionId = String(element.action_id);
    const entered = input.values[blockId] ?? null;
    state[blockId] = { [actionId]: elementState(element, entered, blockId) };
  }
  return {
    type: 'view_submission',
    team: { id: input.team.id, domain: input.team.domain, enterprise_id: null, enterprise_name: null },
    user: { id: input.user.id, username: input.user.name, name: input.user.name, team_id: input.user.teamId },
    api_app_id: API_APP_ID,
    token: VERIFICATION_TOKEN,
    trigger_id: `${Math.floor(Date.now() / 1000)}.${Math.random().toString(16).slice(2)}`,
    is_enterprise_install: false,
    enterprise: null,
    response_urls: [],
    view: { ...input.view, state: { values: state } },
  };
}

function elementState(element: Json, entered: string | null, blockId: string): Json {
  switch (element.type) {
    case 'plain_text_input':
      return { type: 'plain_text_input', value: entered === '' ? null : entered };
    case 'static_select':
    case 'external_select': {
      if (entered === null) return { type: element.type, selected_option: null };
      const options = Array.isArray(element.options) ? (element.options as Json[]) : [];
      const option = options.find((o) => o.value === entered);
      if (!option && element.type === 'static_select') throw new Error(`"${blockId}" has no option ${entered}`);
      const text = option ? (option.text as Json) : { type: 'plain_text', text: entered };
      return { type: element.type, selected_option: { text: { ...text, emoji: true }, value: entered } };
    }
    default:
      throw new Error(`The payload builder does not fill ${String(element.type)} elements`);
  }
}

export function blockActionsPayload(input: {
  actionId: string;
  blockId: string;
  value: string;
  user: SlackUserRef;
  team: { id: string; domain: string };
  triggerId: string;
  responseUrl?: string;
  channel?: { id: string; name: string };
  message?: Json;
  view?: Json;
}): Json {
  return {
    type: 'block_actions',
    user: { id: input.user.id, username: input.user.name, name: input.user.name, team_id: input.user.teamId },
    api_app_id: API_APP_ID,
    token: VERIFICATION_TOKEN,
    container: input.view ? { type: 'view', view_id: input.view.id } : { type: 'message' },
    trigger_id: input.triggerId,
    team: input.team,
    enterprise: null,
    is_enterprise_install: false,
    ...(input.channel ? { channel: input.channel } : {}),
    ...(input.message ? { message: input.message } : {}),
    ...(input.view ? { view: input.view } : {}),
    ...(input.responseUrl ? { response_url: input.responseUrl } : {}),
    actions: [
      {
        type: 'button',
        action_id: input.actionId,
        block_id: input.blockId,
        value: input.value,
        text: { type: 'plain_text', text: 'Button', emoji: true },
        action_ts: `${Math.floor(Date.now() / 1000)}.000200`,
      },
    ],
  };
}
