import { workspaceOption } from './admin-commands.js';
import type { SlackUser } from './slack-user.js';

/** The part of an identity that decides who may comment and as whom. */
export interface ReviewerIdentity {
  id: string;
  email: string;
  flexUserName: string;
  role: 'reviewer' | 'admin' | 'none';
  /** Whether a Flex Authorization value of their own is stored, as of this read (absent: not known). */
  hasFlexAuthorization?: boolean;
}

/** The identities of each workspace; a Slack user is looked up among their own workspace's only. */
export interface ReviewerDirectory {
  findBySlackUser(user: SlackUser): Promise<ReviewerIdentity | null>;
  findUnlinkedByEmail(workspaceId: string | undefined, email: string): Promise<ReviewerIdentity | null>;
  linkSlackUser(identityId: string, user: SlackUser): Promise<ReviewerIdentity | null>;
  /** An identity with this email that a QM admin deactivated, so the person can be told so. */
  findDeactivatedByEmail?(workspaceId: string | undefined, email: string): Promise<ReviewerIdentity | null>;
}

export type ReviewerResolution =
  | { kind: 'reviewer'; identity: ReviewerIdentity; linkedNow: boolean }
  | { kind: 'not_mapped'; email: string | undefined }
  | { kind: 'deactivated'; identity: ReviewerIdentity }
  | { kind: 'not_allowed'; identity: ReviewerIdentity };

/**
 * Finds the Flex identity a Slack user comments as. An unmapped user whose Slack email matches
 * exactly one identity not yet linked is linked on the spot, so nobody has to type ids by hand.
 */
export async function resolveReviewer(
  directory: ReviewerDirectory,
  slackUser: SlackUser,
  lookupEmail: () => Promise<string | undefined>,
  /** Membership of the reviewers' Slack user group, which makes role none a reviewer too. */
  inReviewerGroup?: (userId: string) => Promise<boolean>,
): Promise<ReviewerResolution> {
  let identity = await directory.findBySlackUser(slackUser);
  let linkedNow = false;
  let email: string | undefined;
  if (!identity) {
    email = (await lookupEmail())?.trim().toLowerCase();
    const candidate = email ? await directory.findUnlinkedByEmail(slackUser.workspaceId, email) : null;
    if (candidate) {
      identity = await directory.linkSlackUser(candidate.id, slackUser);
      linkedNow = identity !== null;
    }
  }
  if (!identity) {
    const deactivated = email ? await directory.findDeactivatedByEmail?.(slackUser.workspaceId, email) : null;
    return deactivated ? { kind: 'deactivated', identity: deactivated } : { kind: 'not_mapped', email };
  }
  if (identity.role === 'none' && !(await inReviewerGroup?.(slackUser.userId))) {
    return { kind: 'not_allowed', identity };
  }
  return { kind: 'reviewer', identity, linkedNow };
}

/** Why this person may not post QM comments, and who can change that; undefined when they may. */
export function accessProblem(resolution: ReviewerResolution, slackUser: SlackUser): string | undefined {
  const slackUserId = slackUser.userId;
  const where = workspaceOption(slackUser.workspaceId);
  switch (resolution.kind) {
    case 'reviewer':
      return undefined;
    case 'not_mapped': {
      const who = resolution.email ? `your Slack email (${resolution.email})` : 'your Slack account';
      return `You are not linked to a Flex identity yet: no Flex user matches ${who}. Ask a QM admin to run \`npm run identities -- add${where} --email <your Flex email> --name "<your name>" --slack-user ${slackUserId}\`, then try again.`;
    }
    case 'deactivated':
      return `Your Flex identity (${resolution.identity.email}) has been deactivated, so it cannot post QM comments. Ask a QM admin to reactivate it (\`npm run identities -- add${where} --email ${resolution.identity.email} --name "${resolution.identity.flexUserName}" --slack-user ${slackUserId}\`) if you should still review calls.`;
    case 'not_allowed':
      return `Your Flex identity (${resolution.identity.email}) is not a reviewer, so it cannot post QM comments. Ask a QM admin to give you the reviewer role.`;
  }
}
