import type { Logger, types, webApi } from '@slack/bolt';
import type { Assessment } from '../../domain/assessments/assessment.js';
import type { DeliveryService } from '../../domain/assessments/delivery-service.js';
import type { RetryService } from '../../domain/assessments/retry-service.js';
import type { CallDirectory, SubmissionService } from '../../domain/assessments/submission-service.js';
import type { CallHistoryReader } from '../../domain/calls/call-history.js';
import type { CategoryCatalog } from '../../domain/categories/category-catalog.js';
import type { SyncReport } from '../../domain/identities/identity-sync.js';
import type { LinkableIdentity, LinkRequests } from '../../domain/identities/link-requests.js';
import type { ReviewerAccess } from '../../domain/identities/reviewer-access.js';
import type { SlackUser } from '../../domain/identities/slack-user.js';
import type { KnownIds } from '../middleware/ignore-unknown.js';
import type { ReviewerNotifier } from '../notifications/reviewer-notifier.js';
import type { ModalMetadataSeal } from '../views/modal-metadata.js';
import type { RequestWorkspace, SlackWorkspaces } from '../workspaces.js';

/** What the Slack listeners call into; they parse, call these, and render. */
export interface ListenerServices {
  catalog: CategoryCatalog;
  calls: CallDirectory;
  submissions: SubmissionService;
  delivery: DeliveryService;
  notifier: ReviewerNotifier;
  /** Seals each view's private_metadata on the way out and checks it on the way back. */
  modalMetadata: ModalMetadataSeal;
  /** Failed comments sent again from their message's Retry button. */
  retries: RetryService;
  /** Admin-defined call link forms (CALL_LINK_PATTERNS). */
  callLinkPatterns: readonly RegExp[];
  /** Who may comment (roles and the reviewers' user group). */
  access: ReviewerAccess;
  linkRequests: LinkRequests;
  people: PeopleServices;
  /** Which workspace a request belongs to (one, or many installed by OAuth). */
  workspaces: Pick<SlackWorkspaces, 'keyOf' | 'multi'>;
  /** What Slack says about installations: `app_uninstalled`, `tokens_revoked`. */
  installations: InstallationEvents;
  /** What Flex and the app already hold on a call (/qm history, the counts in the form and the preview). */
  history: CallHistoryReader;
  /** Scorecards (src/wiring/scorecards.ts): where to offer "Score this call", and the admins' questionnaires. */
  scoring?: ScoringServices;
  /** Ids of listeners other capabilities register themselves (e.g. src/wiring/scorecards.ts). */
  moreKnownIds?: Partial<KnownIds>;
  /** The agent's side of feedback (src/wiring/feedback.ts): their Home tab section, and revised comments. */
  feedback?: FeedbackHooks;
  /** The admins' digest and feedback settings (src/wiring/workspace-settings.ts): their Home tab section. */
  workspaceSettings?: { adminHomeBlocks(workspaceId: string | undefined): Promise<types.KnownBlock[]> };
}

/** Where the comment flow and the Home tab meet the feedback on agents' calls. */
export interface FeedbackHooks {
  /** Blocks for the person's Home tab: the feedback on their calls, when they are an agent. */
  homeBlocks(user: SlackUser): Promise<types.KnownBlock[]>;
  /**
   * Before a revising comment is stored: refused (why) unless the person may still revise that feedback;
   * else the words the new comment starts with, naming the comment it revises.
   */
  prepareCommentRevision(feedbackId: string, userId: string): Promise<{ refusal: string } | { prefix: string }>;
  /** After it is stored: the dispute is resolved as revised, with the new comment's id. */
  commentRevised(
    client: webApi.WebClient,
    logger: Logger,
    feedbackId: string,
    userId: string,
    assessmentId: string,
  ): Promise<void>;
}

/** What the comment surfaces and the Home tab need from scorecards. */
export interface ScoringServices {
  /** Whether the workspace has questionnaires to score with (null: the single workspace); synchronous. */
  offered(workspaceId: string | null | undefined): boolean;
  /** Every questionnaire of the workspace, for the admins' list on the Home tab. */
  list(workspaceId: string | undefined): Promise<QuestionnaireListing[]>;
  /** Reads the workspace's questionnaires from Flex into the database (`questionnaires -- sync`). */
  sync(workspaceId: string | undefined): Promise<QuestionnaireSyncSummary>;
}

export interface QuestionnaireListing {
  sid: string;
  name: string;
  active: boolean;
  isDefault: boolean;
  questionCount: number;
  syncedAt: Date;
}

export interface QuestionnaireSyncSummary {
  added: number;
  updated: number;
  deactivated: number;
  unchanged: number;
  unusable: string[];
}

/** Forgets what an uninstall or a revocation names; with one workspace there is nothing stored to forget. */
export interface InstallationEvents {
  uninstalled(workspace: RequestWorkspace): Promise<void>;
  tokensRevoked(workspace: RequestWorkspace, revoked: { botUserIds: string[]; userIds: string[] }): Promise<void>;
}

/** What the Home tab and `/qm whoami` show, and the admins' sync; each for the asking person's workspace. */
export interface PeopleServices {
  identityOf(user: SlackUser): Promise<(LinkableIdentity & { id: string }) | null>;
  recentAssessments(identityId: string, limit: number): Promise<Assessment[]>;
  lastSyncReport(workspaceId: string | undefined): Promise<SyncReport | undefined>;
  /** Runs a sync from Flex into one workspace's identities; undefined when TASKROUTER_WORKSPACE_SID is not set. */
  syncFromFlex: ((workspaceId: string | undefined, startedBy: string) => Promise<SyncReport>) | undefined;
}

export const QM_COMMAND = '/qm';
