/**
 * A Slack user as identities are looked up: `workspaceId` is the key a workspace's identities are kept
 * under (the team id, or the Enterprise Grid org id of an org-wide install; undefined for the single
 * workspace of SLACK_BOT_TOKEN), `teamId` the team the request came from.
 */
export interface SlackUser {
  workspaceId: string | undefined;
  teamId: string;
  userId: string;
}
