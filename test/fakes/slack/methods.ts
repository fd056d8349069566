/** The Web API methods the fake answers, each with the scope Slack checks and the errors Slack gives. */
import { messageBlockProblems, normalizeStored, unfurlProblems } from './block-kit-rules.js';
import type { ViewStore } from './views.js';
import { failure, invalidArguments, invalidBlocks, isObject, type Json, slackId, stringArg } from './wire.js';
import { type Conversation, conversationJson, type PostedMessage, userJson, type Workspace } from './workspace.js';

export interface Bot {
  readonly token: string;
  readonly teamId: string;
  readonly teamDomain: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly appId: string;
  readonly scopes: ReadonlySet<string>;
}

export interface MethodContext {
  bot: Bot;
  workspace: Workspace;
  views: ViewStore;
  /** The fake's own address, for the upload URLs it hands out. */
  baseUrl: string;
  /** Whether the call came as JSON (some methods take form bodies only). */
  viaJson: boolean;
}

interface Method {
  /** The scope the token must have; some depend on the arguments (conversations.info). */
  scope?: (args: Json, ctx: MethodContext) => string | undefined;
  run(args: Json, ctx: MethodContext): Json;
}

const scope = (name: string) => () => name;

/** A Map, not an object, so `constructor` or `toString` is an unknown method and not a prototype hit. */
export const METHODS: ReadonlyMap<string, Method> = new Map<string, Method>([
  ['auth.test', { run: authTest }],
  ['views.open', { run: (args, { views }) => views.open(args) }],
  ['views.push', { run: (args, { views }) => views.push(args) }],
  ['views.update', { run: (args, { views }) => views.update(args) }],
  ['views.publish', { run: (args, { views }) => views.publish(args) }],
  ['chat.postMessage', { scope: scope('chat:write'), run: postMessage }],
  ['chat.postEphemeral', { scope: scope('chat:write'), run: postEphemeral }],
  ['chat.update', { scope: scope('chat:write'), run: updateMessage }],
  ['chat.getPermalink', { run: getPermalink }],
  ['chat.unfurl', { scope: scope('links:write'), run: unfurl }],
  ['users.info', { scope: scope('users:read'), run: usersInfo }],
  ['users.lookupByEmail', { scope: scope('users:read.email'), run: lookupByEmail }],
  ['conversations.info', { scope: conversationsInfoScope, run: conversationsInfo }],
  ['conversations.members', { scope: conversationsInfoScope, run: conversationsMembers }],
  ['usergroups.users.list', { scope: scope('usergroups:read'), run: usergroupUsers }],
  ['files.getUploadURLExternal', { scope: scope('files:write'), run: getUploadUrlExternal }],
  ['files.completeUploadExternal', { scope: scope('files:write'), run: completeUploadExternal }],
]);

function authTest(_args: Json, { bot }: MethodContext): Json {
  return {
    ok: true,
    url: `https://${bot.teamDomain}.slack.com/`,
    team: bot.teamDomain,
    user: 'qm_bot',
    team_id: bot.teamId,
    user_id: bot.botUserId,
    bot_id: bot.botId,
    is_enterprise_install: false,
  };
}

type Content = { ok: true; text?: string; blocks?: Json[]; attachments?: unknown[] } | { ok: false; result: Json };

/** Text, blocks and attachments as Slack checks them for every message-writing method. */
export function messageContent(args: Json): Content {
  const { blocks, attachments } = args;
  if (blocks !== undefined && !Array.isArray(blocks)) return { ok: false, result: failure('invalid_blocks_format') };
  if (attachments !== undefined && !Array.isArray(attachments)) {
    return { ok: false, result: failure('invalid_attachments') };
  }
  const problems = messageBlockProblems(blocks);
  if (problems.length > 0) return { ok: false, result: invalidBlocks(problems) };
  const text = typeof args.text === 'string' && args.text !== '' ? args.text : undefined;
  if (text === undefined && (blocks?.length ?? 0) === 0 && (attachments?.length ?? 0) === 0) {
    return { ok: false, result: failure('no_text') };
  }
  return {
    ok: true,
    // Slack truncates rather than refuses text over 40,000 characters.
    ...(text !== undefined ? { text: text.slice(0, 40_000) } : {}),
    ...(blocks ? { blocks: normalizeStored({ blocks }).blocks.filter(isObject) } : {}),
    ...(attachments ? { attachments } : {}),
  };
}

/** The bot may write where it is a member, in DMs, and in public channels when it has chat:write.public. */
function botMayPost(conversation: Conversation, bot: Bot, allowPublic: boolean): Json | undefined {
  if (conversation.kind === 'im') return undefined;
  const { channel } = conversation;
  if (channel.isMember ?? true) return undefined;
  // Bots cannot see private channels they are not in, so Slack says "not found" rather than "not in".
  if (channel.isPrivate) return failure('channel_not_found');
  if (allowPublic && bot.scopes.has('chat:write.public')) return undefined;
  return failure('not_in_channel');
}

export function messageJson(message: PostedMessage, bot: Bot): Json {
  return {
    type: 'message',
    ...(message.text !== undefined ? { text: message.text } : { text: '' }),
    ...(message.user ? { user: message.user } : {}),
    ...(message.botId ? { bot_id: message.botId, app_id: bot.appId } : {}),
    ts: message.ts,
    team: bot.teamId,
    ...(message.blocks !== undefined ? { blocks: message.blocks } : {}),
    ...(message.attachments !== undefined ? { attachments: message.attachments } : {}),
    ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
    ...(message.editedTs ? { edited: { user: message.user, ts: message.editedTs } } : {}),
  };
}

/**
 * A `thread_ts` must look like a message ts; the parent need not be known to the fake. Slack accepts
 * replies to parents it cannot show, and a test can check the parent with `messagesIn(...)`.
 */
const TS_PATTERN = /^\d{10}\.\d{6}$/;

function postMessage(args: Json, { bot, workspace }: MethodContext): Json {
  const conversation = workspace.resolve(stringArg(args, 'channel') ?? '');
  if (!conversation) return failure('channel_not_found');
  const refused = botMayPost(conversation, bot, true);
  if (refused) return refused;
  const content = messageContent(args);
  if (!content.ok) return content.result;
  const threadTs = stringArg(args, 'thread_ts');
  if (threadTs !== undefined && !TS_PATTERN.test(threadTs)) return failure('invalid_thread_ts');
  const message: PostedMessage = {
    channel: conversation.id,
    ts: workspace.nextTs(),
    user: bot.botUserId,
    botId: bot.botId,
    via: 'api',
    ...(threadTs ? { threadTs } : {}),
    ...(content.text !== undefined ? { text: content.text } : {}),
    ...(content.blocks ? { blocks: content.blocks } : {}),
    ...(content.attachments ? { attachments: content.attachments } : {}),
  };
  workspace.messages.push(message);
  return { ok: true, channel: conversation.id, ts: message.ts, message: messageJson(message, bot) };
}

function postEphemeral(args: Json, { bot, workspace }: MethodContext): Json {
  const userId = stringArg(args, 'user');
  if (!userId) return invalidArguments(['missing required field: user [json-pointer:/]']);
  const conversation = workspace.resolve(stringArg(args, 'channel') ?? '');
  if (!conversation) return failure('channel_not_found');
  const refused = botMayPost(conversation, bot, false);
  if (refused) return refused;
  if (!workspace.isInChannel(userId, conversation)) return failure('user_not_in_channel');
  const content = messageContent(args);
  if (!content.ok) return content.result;
  const threadTs = stringArg(args, 'thread_ts');
  const ts = workspace.nextTs();
  workspace.messages.push({
    channel: conversation.id,
    ts,
    user: bot.botUserId,
    botId: bot.botId,
    ephemeralFor: userId,
    via: 'api',
    ...(threadTs ? { threadTs } : {}),
    ...(content.text !== undefined ? { text: content.text } : {}),
    ...(content.blocks ? { blocks: content.blocks } : {}),
    ...(content.attachments ? { attachments: content.attachments } : {}),
  });
  return { ok: true, message_ts: ts };
}

function updateMessage(args: Json, { bot, workspace }: MethodContext): Json {
  const conversation = workspace.resolve(stringArg(args, 'channel') ?? '');
  if (!conversation) return failure('channel_not_found');
  const ts = stringArg(args, 'ts');
  const message = ts ? workspace.findMessage(conversation.id, ts) : undefined;
  if (!message) return failure('message_not_found');
  if (message.user !== bot.botUserId) return failure('cant_update_message');
  const content = messageContent(args);
  if (!content.ok) return content.result;
  // Slack keeps whatever chat.update leaves out; an empty blocks array is how to remove blocks.
  if (content.text !== undefined) message.text = content.text;
  if (content.blocks) message.blocks = content.blocks;
  if (content.attachments) message.attachments = content.attachments;
  message.editedTs = workspace.nextTs();
  return {
    ok: true,
    channel: conversation.id,
    ts: message.ts,
    text: message.text ?? '',
    message: messageJson(message, bot),
  };
}

function getPermalink(args: Json, { bot, workspace }: MethodContext): Json {
  const conversation = workspace.resolve(stringArg(args, 'channel') ?? '');
  if (!conversation) return failure('channel_not_found');
  const ts = stringArg(args, 'message_ts');
  const message = ts ? workspace.findMessage(conversation.id, ts) : undefined;
  if (!message) return failure('message_not_found');
  const base = `https://${bot.teamDomain}.slack.com/archives/${conversation.id}/p${message.ts.replace('.', '')}`;
  const inThread = message.threadTs !== undefined && message.threadTs !== message.ts;
  return {
    ok: true,
    channel: conversation.id,
    permalink: inThread ? `${base}?thread_ts=${message.threadTs}&cid=${conversation.id}` : base,
  };
}

function unfurl(args: Json, { workspace }: MethodContext): Json {
  if (stringArg(args, 'source') && stringArg(args, 'unfurl_id')) {
    return isObject(args.unfurls) ? { ok: true } : failure('missing_unfurls');
  }
  const conversation = workspace.resolve(stringArg(args, 'channel') ?? '');
  if (!conversation) return failure('channel_not_found');
  const ts = stringArg(args, 'ts');
  const message = ts ? workspace.findMessage(conversation.id, ts) : undefined;
  if (!message) return failure('cannot_find_message');
  if (args.unfurls === undefined) return failure('missing_unfurls');
  if (!isObject(args.unfurls)) return failure('invalid_unfurls_format');
  const problems = unfurlProblems(args.unfurls);
  if (problems.length > 0) return invalidBlocks(problems);
  message.unfurls = { ...message.unfurls, ...args.unfurls };
  return { ok: true };
}

function usersInfo(args: Json, { bot, workspace }: MethodContext): Json {
  const user = workspace.users.get(stringArg(args, 'user') ?? '');
  if (!user) return failure('user_not_found');
  return { ok: true, user: userJson(user, bot, bot.scopes.has('users:read.email')) };
}

function lookupByEmail(args: Json, { bot, workspace }: MethodContext): Json {
  const email = stringArg(args, 'email')?.toLowerCase();
  if (!email) return invalidArguments(['missing required field: email [json-pointer:/]']);
  const user = [...workspace.users.values()].find((u) => u.email?.toLowerCase() === email);
  return user ? { ok: true, user: userJson(user, bot, true) } : failure('users_not_found');
}

function conversationsInfoScope(args: Json, { workspace }: MethodContext): string {
  const conversation = workspace.resolve(stringArg(args, 'channel') ?? '');
  if (conversation?.kind === 'im') return 'im:read';
  return conversation?.channel.isPrivate ? 'groups:read' : 'channels:read';
}

function conversationsInfo(args: Json, { bot, workspace }: MethodContext): Json {
  const ref = stringArg(args, 'channel') ?? '';
  // conversations.info takes ids only, not #names.
  const conversation = ref.startsWith('#') ? undefined : workspace.resolve(ref);
  if (!conversation || (conversation.kind === 'im' && !ref.startsWith('D'))) return failure('channel_not_found');
  if (conversation.kind === 'channel' && conversation.channel.isPrivate && !(conversation.channel.isMember ?? true)) {
    return failure('channel_not_found');
  }
  return { ok: true, channel: conversationJson(conversation, bot.teamId) };
}

/**
 * Slack's conversations.members: the member ids, a page at a time (`limit` 1 to 1000, 100 by default; Slack
 * advises no more than 200, and answers past 1000 with 1000), `response_metadata.next_cursor` empty on the
 * last page. The scope follows the conversation (channels:read, groups:read, im:read); a private channel
 * the bot is not in is `channel_not_found`, as for conversations.info.
 * https://docs.slack.dev/reference/methods/conversations.members
 */
function conversationsMembers(args: Json, { workspace }: MethodContext): Json {
  const ref = stringArg(args, 'channel') ?? '';
  const conversation = ref.startsWith('#') ? undefined : workspace.resolve(ref);
  if (!conversation || (conversation.kind === 'im' && !ref.startsWith('D'))) return failure('channel_not_found');
  if (conversation.kind === 'channel' && conversation.channel.isPrivate && !(conversation.channel.isMember ?? true)) {
    return failure('channel_not_found');
  }
  const members =
    conversation.kind === 'im' ? [conversation.userId] : (conversation.channel.members ?? [...workspace.users.keys()]);
  const rawLimit = Number(stringArg(args, 'limit') ?? 100);
  const limit = Number.isInteger(rawLimit) && rawLimit > 0 ? Math.min(rawLimit, 1000) : 100;
  const cursor = stringArg(args, 'cursor') ?? '';
  let start = 0;
  if (cursor !== '') {
    const decoded = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
    if (!decoded) return failure('invalid_cursor');
    start = Number(decoded[1]);
  }
  const page = members.slice(start, start + limit);
  const next = start + limit < members.length ? Buffer.from(`offset:${start + limit}`).toString('base64') : '';
  return { ok: true, members: page, response_metadata: { next_cursor: next } };
}

function usergroupUsers(args: Json, { workspace }: MethodContext): Json {
  const id = stringArg(args, 'usergroup');
  if (!id) return invalidArguments(['missing required field: usergroup [json-pointer:/]']);
  const members = workspace.usergroups.get(id);
  // Slack answers no_such_subteam for an id it does not know.
  return members ? { ok: true, users: [...members] } : failure('no_such_subteam');
}

/**
 * files.getUploadURLExternal, step 1 of Slack's file upload: `filename` and `length` (bytes) required,
 * `alt_txt` optional (at most 1000 characters: `alt_txt_too_large`); a length of 0 is `missing_argument`
 * ("Typically only occurs when the length provided is 0"). Answers `upload_url` and `file_id`.
 * https://docs.slack.dev/reference/methods/files.getUploadURLExternal (arguments and errors). Slack refuses a
 * JSON body for this method ("missing required field" though both are present: Octember/earshot#10, seen
 * live), so the fake does too; WebClient sends forms.
 */
function getUploadUrlExternal(args: Json, { workspace, baseUrl, viaJson }: MethodContext): Json {
  const filename = stringArg(args, 'filename');
  const lengthText = stringArg(args, 'length');
  if (viaJson || !filename || lengthText === undefined) {
    const missing = [
      ...(viaJson || !filename ? ['filename'] : []),
      ...(viaJson || lengthText === undefined ? ['length'] : []),
    ];
    return invalidArguments(missing.map((name) => `missing required field: ${name} [json-pointer:/]`));
  }
  const length = Number(lengthText);
  if (!Number.isInteger(length) || length < 0) return invalidArguments([`invalid type: length [json-pointer:/length]`]);
  if (length === 0) return failure('missing_argument');
  const altText = stringArg(args, 'alt_txt');
  if (altText !== undefined && [...altText].length > 1000) return failure('alt_txt_too_large');
  const id = slackId('F');
  workspace.files.set(id, { id, filename, length, ...(altText ? { altText } : {}) });
  return { ok: true, upload_url: `${baseUrl}/upload/v1/${id}`, file_id: id };
}

/**
 * files.completeUploadExternal, step 3: `files` (required, a JSON array of {id, title?}) are shared in
 * `channel_id` (optional: without it the file stays private), as a reply when `thread_ts` is given, with
 * `initial_comment` as the message text (`blocks` are ignored when it is given).
 * https://docs.slack.dev/reference/methods/files.completeUploadExternal (arguments; its errors list
 * `file_not_found`, `channel_not_found`, `not_in_channel`). The fake's choices: a file whose bytes never
 * reached its upload URL, or that was completed already, is `file_not_found`.
 */
function completeUploadExternal(args: Json, { bot, workspace }: MethodContext): Json {
  const { files } = args;
  if (!Array.isArray(files) || files.length === 0) {
    return invalidArguments(['missing required field: files [json-pointer:/]']);
  }
  const found = [];
  for (const entry of files) {
    const id = isObject(entry) ? stringArg(entry, 'id') : undefined;
    const file = id ? workspace.files.get(id) : undefined;
    if (!file?.bytes || file.sharedIn !== undefined || file.title !== undefined) return failure('file_not_found');
    found.push({ file, title: isObject(entry) ? stringArg(entry, 'title') : undefined });
  }
  const channelRef = stringArg(args, 'channel_id');
  const conversation = channelRef ? workspace.resolve(channelRef) : undefined;
  if (channelRef && !conversation) return failure('channel_not_found');
  if (conversation) {
    const refused = botMayPost(conversation, bot, false);
    if (refused) return refused;
  }
  const threadTs = stringArg(args, 'thread_ts');
  if (threadTs !== undefined && !TS_PATTERN.test(threadTs)) return failure('invalid_thread_ts');
  const initialComment = stringArg(args, 'initial_comment');
  for (const { file, title } of found) {
    file.title = title ?? file.filename;
    if (conversation) file.sharedIn = conversation.id;
    if (threadTs) file.threadTs = threadTs;
    if (initialComment) file.initialComment = initialComment;
  }
  if (conversation) {
    workspace.messages.push({
      channel: conversation.id,
      ts: workspace.nextTs(),
      user: bot.botUserId,
      botId: bot.botId,
      via: 'api',
      ...(threadTs ? { threadTs } : {}),
      ...(initialComment ? { text: initialComment } : {}),
      files: found.map(({ file }) => ({ id: file.id, name: file.filename, title: file.title ?? file.filename })),
    });
  }
  return { ok: true, files: found.map(({ file }) => ({ id: file.id, title: file.title })) };
}
