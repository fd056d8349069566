/** Linking a Slack user to a Flex identity by email when automatic matching found nothing; an admin decides. */
import { checkEmail } from './person-fields.js';
import type { SlackUser } from './slack-user.js';

export type LinkStatus = 'pending' | 'approved' | 'rejected';

export interface LinkRequest {
  id: string;
  identityId: string;
  slackTeamId: string;
  slackUserId: string;
  status: LinkStatus;
  decidedBySlackUserId: string | null;
  adminMessages: Array<{ channel: string; ts: string }>;
}

export interface LinkableIdentity {
  id: string;
  /** The workspace the identity belongs to; undefined: the single workspace of SLACK_BOT_TOKEN. */
  workspaceId: string | undefined;
  email: string;
  flexUserName: string;
  agentId: string | null;
  slackUserId: string | null;
  role: 'reviewer' | 'admin' | 'none';
}

export interface LinkRequestStore {
  findPending(teamId: string, userId: string): Promise<LinkRequest | null>;
  create(identityId: string, teamId: string, userId: string): Promise<LinkRequest>;
  /** Points a pending request at another identity; null when it is no longer pending. */
  retarget(id: string, identityId: string): Promise<LinkRequest | null>;
  /** Records one ask and answers how many the person made since `since`, this one included. */
  recordAttempt(teamId: string, userId: string, since: Date): Promise<number>;
  get(id: string): Promise<LinkRequest | null>;
  decide(id: string, status: 'approved' | 'rejected', adminUserId: string): Promise<boolean>;
  setAdminMessages(id: string, messages: Array<{ channel: string; ts: string }>): Promise<void>;
}

/** The identities of each workspace; every look-up stays within the asking person's workspace. */
export interface LinkIdentityDirectory {
  findBySlackUser(user: SlackUser): Promise<LinkableIdentity | null>;
  findActiveByEmail(workspaceId: string | undefined, email: string): Promise<LinkableIdentity | null>;
  findById(id: string): Promise<LinkableIdentity | null>;
  linkSlackUser(identityId: string, user: SlackUser): Promise<LinkableIdentity | null>;
  /** The workspace's admins who can be reached in Slack. */
  admins(workspaceId: string | undefined): Promise<LinkableIdentity[]>;
}

export type LinkAsk =
  | { kind: 'invalid_email'; email: string }
  | { kind: 'already_linked'; identity: LinkableIdentity }
  | { kind: 'too_many'; retryAt: Date }
  | { kind: 'no_admins' }
  /**
   * Every outcome below gets the same answer, so that asking tells nobody whether an email belongs to a
   * Flex identity, or whether someone is linked to it. Only `created` and `retargeted` reach the admins.
   */
  | { kind: 'no_identity'; email: string; admins: string[] }
  | { kind: 'taken'; email: string; admins: string[] }
  | { kind: 'waiting'; email: string; request: LinkRequest; identity: LinkableIdentity; admins: string[] }
  /** The person's pending request now names this identity: the admins' DMs are updated, none are added. */
  | { kind: 'retargeted'; email: string; request: LinkRequest; identity: LinkableIdentity; admins: string[] }
  | { kind: 'created'; email: string; request: LinkRequest; identity: LinkableIdentity; admins: string[] };

/** How often one person may ask to be linked: enough to fix a typo, too few to try a list of emails. */
export const LINK_ASKS_PER_WINDOW = 5;
export const LINK_ASK_WINDOW_MS = 60 * 60_000;

export type LinkDecision =
  | { kind: 'not_admin'; admins: string[] }
  | { kind: 'not_found' }
  | { kind: 'already_decided'; request: LinkRequest; identity: LinkableIdentity | null }
  | { kind: 'approved'; request: LinkRequest; identity: LinkableIdentity }
  | { kind: 'rejected'; request: LinkRequest; identity: LinkableIdentity | null }
  /** Approved, but someone else holds the identity (or the requester got linked) meanwhile. */
  | { kind: 'conflict'; request: LinkRequest; identity: LinkableIdentity | null; reason: string };

export class LinkRequests {
  constructor(
    private readonly store: LinkRequestStore,
    private readonly identities: LinkIdentityDirectory,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async ask(user: SlackUser, rawEmail: string): Promise<LinkAsk> {
    const checked = checkEmail(rawEmail);
    if (!checked.ok) return { kind: 'invalid_email', email: rawEmail };
    const email = checked.value;
    const mine = await this.identities.findBySlackUser(user);
    if (mine) return { kind: 'already_linked', identity: mine };
    // Counted in the database, so that every instance sees the same count.
    const now = this.now();
    const since = new Date(now.getTime() - LINK_ASK_WINDOW_MS);
    const asks = await this.store.recordAttempt(user.teamId, user.userId, since);
    if (asks > LINK_ASKS_PER_WINDOW) return { kind: 'too_many', retryAt: new Date(now.getTime() + LINK_ASK_WINDOW_MS) };
    const admins = await this.adminIds(user.workspaceId);
    if (admins.length === 0) return { kind: 'no_admins' };
    const identity = await this.identities.findActiveByEmail(user.workspaceId, email);
    if (!identity) return { kind: 'no_identity', email, admins };
    if (identity.slackUserId) return { kind: 'taken', email, admins };
    // One pending request per person: a new ask replaces the old one instead of adding another.
    const pending = await this.store.findPending(user.teamId, user.userId);
    if (pending && pending.identityId === identity.id) {
      return { kind: 'waiting', email, request: pending, identity, admins };
    }
    if (pending) {
      const retargeted = await this.store.retarget(pending.id, identity.id);
      if (retargeted) return { kind: 'retargeted', email, request: retargeted, identity, admins };
    }
    const request = await this.store.create(identity.id, user.teamId, user.userId);
    return { kind: 'created', email, request, identity, admins };
  }

  async decide(requestId: string, admin: SlackUser, approve: boolean): Promise<LinkDecision> {
    const deciding = await this.identities.findBySlackUser(admin);
    if (deciding?.role !== 'admin') return { kind: 'not_admin', admins: await this.adminIds(admin.workspaceId) };
    const request = await this.store.get(requestId);
    if (!request) return { kind: 'not_found' };
    const identity = await this.identities.findById(request.identityId);
    // Admins decide for their own workspace's identities only.
    if (!identity || identity.workspaceId !== admin.workspaceId) return { kind: 'not_found' };
    if (request.status !== 'pending') return { kind: 'already_decided', request, identity };
    if (!approve) {
      if (!(await this.store.decide(request.id, 'rejected', admin.userId))) return this.decidedMeanwhile(request.id);
      return {
        kind: 'rejected',
        request: { ...request, status: 'rejected', decidedBySlackUserId: admin.userId },
        identity,
      };
    }
    if (!(await this.store.decide(request.id, 'approved', admin.userId))) return this.decidedMeanwhile(request.id);
    const approved: LinkRequest = { ...request, status: 'approved', decidedBySlackUserId: admin.userId };
    const requester = { workspaceId: admin.workspaceId, teamId: request.slackTeamId, userId: request.slackUserId };
    const already = await this.identities.findBySlackUser(requester);
    if (already) {
      return { kind: 'conflict', request: approved, identity, reason: `they are already linked to ${already.email}` };
    }
    const linked = await this.identities.linkSlackUser(request.identityId, requester);
    if (!linked) {
      return {
        kind: 'conflict',
        request: approved,
        identity,
        reason: 'that Flex identity is linked to another Slack user now (or was removed)',
      };
    }
    return { kind: 'approved', request: approved, identity: linked };
  }

  /** Remembers the admins' DMs, so a decision can update every one of them. */
  recordAdminMessages(requestId: string, messages: Array<{ channel: string; ts: string }>): Promise<void> {
    return this.store.setAdminMessages(requestId, messages);
  }

  private async decidedMeanwhile(requestId: string): Promise<LinkDecision> {
    const request = await this.store.get(requestId);
    if (!request) return { kind: 'not_found' };
    return { kind: 'already_decided', request, identity: await this.identities.findById(request.identityId) };
  }

  private async adminIds(workspaceId: string | undefined): Promise<string[]> {
    return (await this.identities.admins(workspaceId)).flatMap((admin) =>
      admin.slackUserId ? [admin.slackUserId] : [],
    );
  }
}
