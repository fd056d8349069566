/** The workspace the fake pretends to be: people, conversations and the messages in them. */
import type { Json } from './wire.js';

export interface FakeUser {
  id: string;
  name?: string;
  realName?: string;
  email?: string;
  teamId?: string;
  isBot?: boolean;
}

export interface FakeChannel {
  id: string;
  name: string;
  /** Whether the bot is in the channel; true unless said otherwise. */
  isMember?: boolean;
  isPrivate?: boolean;
  /** Who is in the channel, for chat.postEphemeral; every known user when left out. */
  members?: string[];
}

export interface PostedMessage {
  /** The conversation id (a `D…` id for direct messages). */
  channel: string;
  ts: string;
  threadTs?: string;
  text?: string;
  blocks?: unknown;
  attachments?: unknown;
  user?: string;
  botId?: string;
  /** Set on ephemeral messages: who alone sees it. */
  ephemeralFor?: string;
  editedTs?: string;
  unfurls?: Json;
  /** Files shared with the message (files.completeUploadExternal). */
  files?: Array<{ id: string; name: string; title: string }>;
  /** How it got there: seeded by the test, posted through the Web API, or through a response_url. */
  via: 'seed' | 'api' | 'response_url';
}

/** A file reserved by files.getUploadURLExternal, its bytes once POSTed to its upload URL, and where it was shared. */
export interface FakeFile {
  id: string;
  filename: string;
  /** The length the app declared when reserving it. */
  length: number;
  altText?: string;
  bytes?: Buffer;
  title?: string;
  sharedIn?: string;
  threadTs?: string;
  initialComment?: string;
}

export type Conversation =
  | { kind: 'channel'; id: string; channel: FakeChannel }
  | { kind: 'im'; id: string; userId: string };

export class Workspace {
  readonly users = new Map<string, FakeUser>();
  readonly channels = new Map<string, FakeChannel>();
  /** User group id (S…) → its members' ids. */
  readonly usergroups = new Map<string, string[]>();
  readonly messages: PostedMessage[] = [];
  /** Files by id (F…), reserved, uploaded and shared. */
  readonly files = new Map<string, FakeFile>();
  private tsCounter = 0;

  constructor(private readonly clock: { now(): number }) {}

  /** Channel ids, `#name`s, user ids (meaning the DM with them) and DM ids, as chat.postMessage takes them. */
  resolve(ref: string): Conversation | undefined {
    const channel =
      this.channels.get(ref) ??
      (ref.startsWith('#') ? [...this.channels.values()].find((c) => `#${c.name}` === ref) : undefined);
    if (channel) return { kind: 'channel', id: channel.id, channel };
    const user = this.users.get(ref) ?? [...this.users.values()].find((u) => dmIdOf(u.id) === ref);
    return user ? { kind: 'im', id: dmIdOf(user.id), userId: user.id } : undefined;
  }

  findMessage(conversationId: string, ts: string): PostedMessage | undefined {
    return this.messages.find((m) => m.channel === conversationId && m.ts === ts && !m.ephemeralFor);
  }

  /** Unique, increasing message timestamps, even when the test's clock stands still. */
  nextTs(): string {
    this.tsCounter += 1;
    return `${Math.floor(this.clock.now() / 1000)}.${String(this.tsCounter).padStart(6, '0')}`;
  }

  isInChannel(userId: string, conversation: Conversation): boolean {
    if (conversation.kind === 'im') return conversation.userId === userId;
    const { members } = conversation.channel;
    return members ? members.includes(userId) : this.users.has(userId);
  }
}

/** Slack's DM ids are unrelated to user ids; deriving one keeps them stable and readable in tests. */
export function dmIdOf(userId: string): string {
  return `D${userId.slice(1)}`;
}

export function userJson(user: FakeUser, defaults: { teamId: string }, withEmail: boolean): Json {
  const realName = user.realName ?? user.name ?? user.id;
  return {
    id: user.id,
    team_id: user.teamId ?? defaults.teamId,
    name: user.name ?? user.id.toLowerCase(),
    deleted: false,
    real_name: realName,
    tz: 'Europe/London',
    tz_offset: 0,
    is_admin: false,
    is_owner: false,
    is_bot: user.isBot ?? false,
    is_app_user: false,
    is_restricted: false,
    is_ultra_restricted: false,
    updated: 1_700_000_000,
    profile: {
      real_name: realName,
      real_name_normalized: realName,
      display_name: user.name ?? '',
      display_name_normalized: user.name ?? '',
      // Slack leaves the email out unless the token has users:read.email.
      ...(withEmail && user.email ? { email: user.email } : {}),
      team: user.teamId ?? defaults.teamId,
    },
  };
}

export function conversationJson(conversation: Conversation, teamId: string): Json {
  if (conversation.kind === 'im') {
    return {
      id: conversation.id,
      created: 1_700_000_000,
      is_im: true,
      is_org_shared: false,
      context_team_id: teamId,
      user: conversation.userId,
      is_user_deleted: false,
    };
  }
  const { channel } = conversation;
  const isPrivate = channel.isPrivate ?? false;
  return {
    id: channel.id,
    name: channel.name,
    is_channel: !isPrivate,
    is_group: false,
    is_im: false,
    is_mpim: false,
    is_private: isPrivate,
    created: 1_700_000_000,
    is_archived: false,
    is_general: false,
    name_normalized: channel.name,
    is_shared: false,
    is_org_shared: false,
    is_member: channel.isMember ?? true,
    context_team_id: teamId,
    topic: { value: '', creator: '', last_set: 0 },
    purpose: { value: '', creator: '', last_set: 0 },
  };
}
