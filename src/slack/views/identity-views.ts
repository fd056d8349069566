import type { types } from '@slack/bolt';
import type { Assessment } from '../../domain/assessments/assessment.js';
import type { SyncReport } from '../../domain/identities/identity-sync.js';
import type { LinkableIdentity, LinkRequest } from '../../domain/identities/link-requests.js';
import { type QuestionnaireHomeData, questionnaireHomeBlocks } from '../scorecards/questionnaire-home.js';
import { escapeMrkdwn, truncate } from './mrkdwn.js';

export const LINK_MODAL_CALLBACK_ID = 'link_request';
export const LINK_EMAIL_BLOCK = { blockId: 'link_email', actionId: 'email' } as const;
export const LINK_APPROVE_ACTION_ID = 'link_approve';
export const LINK_REJECT_ACTION_ID = 'link_reject';
export const HOME_SYNC_ACTION_ID = 'identities_sync';
/** Handled in another part of the app (retrying a failed assessment); the Home tab only shows the button. */
export const ASSESSMENT_RETRY_ACTION_ID = 'assessment_retry';

export interface WhoAmI {
  identity: Pick<LinkableIdentity, 'email' | 'flexUserName' | 'agentId' | 'role'> | null;
  /** May comment, by role or by the reviewers' user group. */
  mayComment: boolean;
  viaGroup: boolean;
}

const section = (text: string): types.SectionBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });
const context = (text: string): types.ContextBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });

const ROLE_WORDS: Record<LinkableIdentity['role'], string> = {
  admin: 'admin (may comment and manage identities)',
  reviewer: 'reviewer (may comment)',
  none: 'none (receives feedback, may not comment)',
};

/** `/qm whoami` and the top of the Home tab: the mapping and the role, in words. */
export function whoAmIText(who: WhoAmI): string {
  if (!who.identity) {
    return 'You are not linked to a Flex identity yet. If you have a Flex user, ask to be linked with `/qm link <your Flex email>`.';
  }
  const { identity } = who;
  const role = who.viaGroup
    ? `${identity.role}, and you are in the reviewers’ user group, so you may comment`
    : ROLE_WORDS[identity.role];
  return [
    `*Email:* ${escapeMrkdwn(identity.email)}`,
    `*Flex user:* ${escapeMrkdwn(identity.flexUserName)}`,
    `*Agent id:* ${identity.agentId ? `\`${escapeMrkdwn(identity.agentId)}\`` : '—'}`,
    `*Role:* ${role}`,
  ].join('\n');
}

export function linkModal(notice?: string): types.ModalView {
  return {
    type: 'modal',
    callback_id: LINK_MODAL_CALLBACK_ID,
    title: { type: 'plain_text', text: 'Link to Flex' },
    submit: { type: 'plain_text', text: 'Ask an admin' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      section(
        notice ??
          'Give the email of your Flex user. A QM admin is asked to approve, and you get a message when they decide.',
      ),
      {
        type: 'input',
        block_id: LINK_EMAIL_BLOCK.blockId,
        label: { type: 'plain_text', text: 'Your Flex email' },
        element: { type: 'email_text_input', action_id: LINK_EMAIL_BLOCK.actionId },
      },
    ],
  };
}

function identityLine(identity: Pick<LinkableIdentity, 'email' | 'flexUserName' | 'agentId'>): string {
  const agent = identity.agentId ? `, agent id \`${escapeMrkdwn(identity.agentId)}\`` : '';
  return `*${escapeMrkdwn(identity.flexUserName)}* (${escapeMrkdwn(identity.email)}${agent})`;
}

/** The DM each admin gets, with Approve and Reject. */
export function linkRequestMessage(
  request: LinkRequest,
  identity: LinkableIdentity,
): { text: string; blocks: types.KnownBlock[] } {
  const text = `<@${request.slackUserId}> asks to be linked to the Flex identity ${identityLine(identity)}.`;
  return {
    text,
    blocks: [
      section(`${text}\nApprove only if this Slack user is that person: they will comment as them.`),
      {
        type: 'actions',
        block_id: 'link_decision',
        elements: [
          {
            type: 'button',
            action_id: LINK_APPROVE_ACTION_ID,
            text: { type: 'plain_text', text: 'Approve' },
            style: 'primary',
            value: request.id,
          },
          {
            type: 'button',
            action_id: LINK_REJECT_ACTION_ID,
            text: { type: 'plain_text', text: 'Reject' },
            style: 'danger',
            value: request.id,
          },
        ],
      },
    ],
  };
}

/** What the admins' DMs turn into once someone decided: the outcome, no buttons. */
export function linkDecidedMessage(
  request: LinkRequest,
  identity: Pick<LinkableIdentity, 'email' | 'flexUserName' | 'agentId'> | null,
  outcome: string,
): { text: string; blocks: types.KnownBlock[] } {
  const who = identity ? identityLine(identity) : 'a Flex identity that no longer exists';
  const text = `<@${request.slackUserId}> asked to be linked to ${who}. ${outcome}`;
  return { text, blocks: [section(text)] };
}

export interface HomeData {
  who: WhoAmI;
  assessments: Assessment[];
  admin?: {
    /** Undefined when no sync has run yet. */
    lastSync: SyncReport | undefined;
    /** Why the Sync button is missing (TaskRouter not configured). */
    syncUnavailable?: string;
    /** A line about the sync just run (or failing). */
    notice?: string;
    syncing?: boolean;
    /** The questionnaires /qm score offers, where scorecards are wired. */
    questionnaires?: QuestionnaireHomeData & { workspaceId?: string | undefined };
    /** The workspace's digest and feedback settings, with the button that opens them. */
    settings?: types.KnownBlock[];
  };
  /** The agent's "Feedback on your calls" (src/slack/feedback/feedback-views.ts), after their own comments. */
  feedback?: types.KnownBlock[];
}

const STATUS_WORDS: Record<Assessment['status'], string> = {
  posted: ':white_check_mark: posted',
  pending: ':hourglass_flowing_sand: pending',
  failed: ':x: failed',
};

/** "Your assessments" (there are none yet), "Your last assessment", "Your last 20 assessments". */
function yourAssessmentsTitle(count: number): string {
  if (count === 0) return 'Your assessments';
  return count === 1 ? 'Your last assessment' : `Your last ${count} assessments`;
}

/** The Home tab: who you are, your last assessments, and for admins the state of the identity sync. */
export function homeView(data: HomeData): types.HomeView {
  const blocks: types.KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Flex QM' } },
    section(whoAmIText(data.who)),
    { type: 'divider' },
    section(`*${yourAssessmentsTitle(data.assessments.length)}*`),
  ];
  if (data.assessments.length === 0) {
    blocks.push(context('None yet. Type `/qm` in any channel to comment on a call.'));
  }
  for (const assessment of data.assessments) {
    const line = `${STATUS_WORDS[assessment.status]} · *${escapeMrkdwn(assessment.categoryName)}* · <!date^${Math.floor(
      assessment.createdAt.getTime() / 1000,
    )}^{date_short} {time}|${assessment.createdAt.toISOString()}>\n${escapeMrkdwn(truncate(assessment.comment, 200))}`;
    const block: types.SectionBlock = section(
      assessment.status === 'failed' && assessment.lastError
        ? `${line}\n_${escapeMrkdwn(truncate(assessment.lastError, 300))}_`
        : line,
    );
    if (assessment.status === 'failed') {
      block.accessory = {
        type: 'button',
        action_id: ASSESSMENT_RETRY_ACTION_ID,
        text: { type: 'plain_text', text: 'Retry' },
        value: assessment.id,
      };
    }
    blocks.push(block);
  }
  if (data.feedback) blocks.push(...data.feedback);
  if (data.admin) {
    const { lastSync } = data.admin;
    blocks.push({ type: 'divider' }, section('*Identities (admin)*'));
    blocks.push(
      section(
        lastSync
          ? [
              `Last sync from Flex: <!date^${Math.floor(Date.parse(lastSync.finishedAt) / 1000)}^{date_short} {time}|${lastSync.finishedAt}>: ${lastSync.workers + lastSync.broken.length} workers in Flex, ${lastSync.matched.length} matched to Slack.`,
              `• In Flex without a Slack user: *${lastSync.flexWithoutSlack.length}*`,
              `• Identities not in Flex: *${lastSync.notInFlex.length}*`,
              `• Ambiguous: *${lastSync.ambiguous.length}* · unreadable in Flex: *${lastSync.broken.length}*`,
            ].join('\n')
          : 'No sync from Flex has run yet.',
      ),
    );
    if (data.admin.notice) blocks.push(context(data.admin.notice));
    if (data.admin.syncUnavailable) blocks.push(context(data.admin.syncUnavailable));
    else
      blocks.push({
        type: 'actions',
        block_id: 'identities_admin',
        elements: [
          {
            type: 'button',
            action_id: HOME_SYNC_ACTION_ID,
            text: { type: 'plain_text', text: data.admin.syncing ? 'Syncing…' : 'Sync from Flex' },
            value: 'sync',
          },
        ],
      });
    if (data.admin.questionnaires) {
      blocks.push(
        { type: 'divider' },
        ...questionnaireHomeBlocks(data.admin.questionnaires, data.admin.questionnaires.workspaceId),
      );
    }
    if (data.admin.settings) blocks.push(...data.admin.settings);
  }
  return { type: 'home', blocks };
}
