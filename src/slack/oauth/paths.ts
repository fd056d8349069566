/** Where a browser starts an install, and where Slack sends it back. */
export const INSTALL_PATH_FOR_PAGES = '/slack/install';
