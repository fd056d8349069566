import type { Installation } from '@slack/bolt';
import { INSTALL_PATH_FOR_PAGES } from './paths.js';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body style="font-family:sans-serif;max-width:40em;margin:3em auto;line-height:1.5"><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

/** Shown once Slack sent the installer back and the installation is stored. */
export function installedPage(installation: Installation): string {
  const where = installation.isEnterpriseInstall
    ? `every workspace of ${installation.enterprise?.name ?? installation.enterprise?.id ?? 'your org'} you add it to`
    : (installation.team?.name ?? installation.team?.id ?? 'your workspace');
  const workspace = escapeHtml(
    installation.isEnterpriseInstall ? (installation.enterprise?.id ?? '') : (installation.team?.id ?? ''),
  );
  return page(
    'Flex QM is installed',
    `<p>Flex QM is installed in ${escapeHtml(where)}. You can close this page and go back to Slack.</p>
<p>Next: people comment with <code>/qm</code> once a QM admin has linked them to their Flex identity (they can ask with <code>/qm link you@example.com</code>). People are kept per workspace: whoever runs Flex QM makes this workspace's first QM admin with <code>npm run identities -- add --workspace ${workspace} --email … --name … --slack-user U… --role admin</code>, and brings in everyone from Flex with <code>npm run identities -- sync --workspace ${workspace}</code> (or the admin's Sync from Flex button on the app's Home tab). The comment categories were read from Flex; if <code>/qm</code> says there are none, a QM admin can run <code>npm run categories -- sync --workspace ${workspace}</code>.</p>`,
  );
}

const REASONS: Record<string, string> = {
  slack_oauth_invalid_state:
    'The install link expired or was opened in another browser (the check that protects it did not match).',
  slack_oauth_missing_state: 'Slack sent the browser back without the install’s state.',
  slack_oauth_missing_code: 'Slack sent the browser back without an authorization code.',
  slack_oauth_installer_authorization_error: 'The install was cancelled on Slack’s page.',
};

/** Shown when an install did not complete: what happened and what to do next. */
export function installFailedPage(code: string): string {
  const reason = REASONS[code] ?? 'Slack did not accept the install (see the app’s log for the details).';
  return page(
    'Flex QM was not installed',
    `<p>${escapeHtml(reason)}</p><p>Nothing was stored. Start again from <a href="${INSTALL_PATH_FOR_PAGES}">${INSTALL_PATH_FOR_PAGES}</a> in the same browser, within ten minutes. If it keeps failing, ask whoever runs Flex QM to check its log and the Slack app’s Redirect URL.</p>`,
  );
}
