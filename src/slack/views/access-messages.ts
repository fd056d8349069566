import { workspaceOption } from '../../domain/identities/admin-commands.js';
import type { ReviewerResolution } from '../../domain/identities/reviewer-resolver.js';

/**
 * Who to ask: the admins as mentions, or how to make the first one (in the asker's workspace, named for
 * the command when it is one installed by OAuth).
 */
export function adminsSentence(adminUserIds: readonly string[], workspaceId?: string): string {
  if (adminUserIds.length === 0) {
    return `No QM admin is linked to Slack yet: ask whoever runs this app to make one with \`npm run identities -- add${workspaceOption(workspaceId)} --email EMAIL --name NAME --slack-user UXXXX --role admin\`.`;
  }
  const mentions = adminUserIds.map((id) => `<@${id}>`);
  return `Your QM ${mentions.length === 1 ? 'admin is' : 'admins are'} ${mentions.join(', ')}.`;
}

/** Why someone may not comment, and what to do about it; shown privately, at the first touch. */
export function refusalText(
  resolution: Exclude<ReviewerResolution, { kind: 'reviewer' }>,
  adminUserIds: readonly string[],
  reviewerGroupId: string | undefined,
  workspaceId?: string,
): string {
  const group = reviewerGroupId ? ` or add you to the reviewers’ user group <!subteam^${reviewerGroupId}>` : '';
  if (resolution.kind === 'not_mapped') {
    const who = resolution.email ? `your Slack email (${resolution.email})` : 'your Slack account';
    return [
      `You can’t leave QM comments yet: you are not linked to a Flex identity, and no Flex user matches ${who}.`,
      'If you have a Flex user under another email, ask to be linked with `/qm link <your Flex email>`.',
      adminsSentence(adminUserIds, workspaceId),
    ].join('\n');
  }
  if (resolution.kind === 'deactivated') {
    return [
      `You can’t leave QM comments: your Flex identity (${resolution.identity.email}) has been deactivated.`,
      `If you should still review calls, a QM admin can reactivate it. ${adminsSentence(adminUserIds, workspaceId)}`,
    ].join('\n');
  }
  return [
    `You can’t leave QM comments: your Flex identity (${resolution.identity.email}) does not have the reviewer role, so you receive feedback but cannot post it.`,
    `A QM admin can make you a reviewer${group}. ${adminsSentence(adminUserIds, workspaceId)}`,
  ].join('\n');
}
