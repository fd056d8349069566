/** The bot scopes the app asks for, in the manifest and when a workspace installs it by OAuth. */
export const BOT_SCOPES = [
  'chat:write',
  'commands',
  'links:read',
  'links:write',
  'usergroups:read',
  'users:read',
  'users:read.email',
] as const;
