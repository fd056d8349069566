/** The part of an identity that decides who may comment and as whom. */
export interface ReviewerIdentity {
  id: string;
  email: string;
  flexUserName: string;
  role: 'reviewer' | 'admin' | 'none';
  /** Whether a Flex Authorization value of their own is stored, as of this read (absent: not known). */
  hasFlexAuthorization?: boolean;
}

export interface ReviewerDirectory {
  findBySlackUser(teamId: string, userId: string): Promise<ReviewerIdentity | null>;
  findUnlinkedByEmail(email: string): Promise<ReviewerIdentity | null>;
  linkSlackUser(identityId: string, teamId: string, userId: string): Promise<ReviewerIdentity | null>;
}

export type ReviewerResolution =
  | { kind: 'reviewer'; identity: ReviewerIdentity; linkedNow: boolean }
  | { kind: 'not_mapped'; email: string | undefined }
  | { kind: 'not_allowed'; identity: ReviewerIdentity };

/**
 * Finds the Flex identity a Slack user comments as. An unmapped user whose Slack email matches
 * exactly one identity not yet linked is linked on the spot, so nobody has to type ids by hand.
 */
export async function resolveReviewer(
  directory: ReviewerDirectory,
  slackUser: { teamId: string; userId: string },
  lookupEmail: () => Promise<string | undefined>,
): Promise<ReviewerResolution> {
  let identity = await directory.findBySlackUser(slackUser.teamId, slackUser.userId);
  let linkedNow = false;
  let email: string | undefined;
  if (!identity) {
    email = (await lookupEmail())?.trim().toLowerCase();
    const candidate = email ? await directory.findUnlinkedByEmail(email) : null;
    if (candidate) {
      identity = await directory.linkSlackUser(candidate.id, slackUser.teamId, slackUser.userId);
      linkedNow = identity !== null;
    }
  }
  if (!identity) return { kind: 'not_mapped', email };
  if (identity.role === 'none') return { kind: 'not_allowed', identity };
  return { kind: 'reviewer', identity, linkedNow };
}
