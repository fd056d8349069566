/** The bot scopes the app asks for, in the manifest and when a workspace installs it by OAuth. */
export const BOT_SCOPES = [
  // conversations.members: a confirmation goes to a linked message's thread only if the reviewer is in
  // that channel (channels:read for public channels, groups:read for private ones the bot is in).
  'channels:read',
  'chat:write',
  'commands',
  // files.getUploadURLExternal and files.completeUploadExternal: the weekly digest's chart.
  'files:write',
  'groups:read',
  'links:read',
  'links:write',
  'usergroups:read',
  'users:read',
  'users:read.email',
] as const;
