import { type ReviewerDirectory, type ReviewerResolution, resolveReviewer } from './reviewer-resolver.js';
import type { SlackUser } from './slack-user.js';

export interface ReviewerAccessDeps {
  directory: ReviewerDirectory;
  /** Slack user ids of the active admins of a workspace, for telling people whom to ask. */
  adminSlackUsers: (workspaceId: string | undefined) => Promise<string[]>;
  /** Membership of the reviewers' Slack user group (REVIEWER_USERGROUP), when one is configured. */
  inReviewerGroup?: ((userId: string) => Promise<boolean>) | undefined;
  /** The user group's id, so a refusal can name it. */
  reviewerGroupId?: string | undefined;
}

/**
 * Who may comment: an identity with role reviewer or admin, or role none while in the reviewers'
 * user group. Asked at the first touch (command, shortcut) and again at submission.
 */
export class ReviewerAccess {
  constructor(private readonly deps: ReviewerAccessDeps) {}

  get reviewerGroupId(): string | undefined {
    return this.deps.reviewerGroupId;
  }

  resolve(slackUser: SlackUser, lookupEmail: () => Promise<string | undefined>): Promise<ReviewerResolution> {
    return resolveReviewer(this.deps.directory, slackUser, lookupEmail, this.deps.inReviewerGroup);
  }

  async isReviewer(userId: string, role: 'reviewer' | 'admin' | 'none'): Promise<boolean> {
    return role !== 'none' || ((await this.deps.inReviewerGroup?.(userId)) ?? false);
  }

  adminSlackUsers(workspaceId: string | undefined): Promise<string[]> {
    return this.deps.adminSlackUsers(workspaceId);
  }
}
