/**
 * The `--workspace …` part of an admin command the app tells someone to ask for: identities are kept per
 * workspace, so a command for a workspace installed by OAuth must name it; empty for SLACK_BOT_TOKEN's.
 */
export function workspaceOption(workspaceId: string | undefined): string {
  return workspaceId ? ` --workspace ${workspaceId}` : '';
}
