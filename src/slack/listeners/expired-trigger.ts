import type { Logger } from '@slack/bolt';

/**
 * Slack lets an app open a modal for 3 seconds after the command, shortcut or click that asked for it.
 * Past that, views.open fails with expired_trigger_id and nothing opens: without a word from the app,
 * the person would see nothing at all.
 */
function isExpiredTrigger(error: unknown): boolean {
  const data = (error as { data?: { error?: unknown } } | null)?.data;
  return data?.error === 'expired_trigger_id';
}

/**
 * Opens a form; when Slack's trigger had run out, logs it and `tellTooLate` tells the person instead.
 * Any other failure is thrown as it was.
 */
export async function openOrSayTooLate(
  logger: Logger,
  open: () => Promise<unknown>,
  tellTooLate: () => Promise<unknown>,
): Promise<void> {
  try {
    await open();
  } catch (error) {
    if (!isExpiredTrigger(error)) throw error;
    logger.warn('The comment form could not open: Slack’s 3 seconds to open it had run out (expired_trigger_id).');
    await tellTooLate();
  }
}

/** What to tell someone whose form did not open in time; `again` says how to ask for it again. */
export function formDidNotOpenText(again: string): string {
  return `The comment form did not open: the app took longer than Slack allows (3 seconds), so Slack closed the window for it. Nothing was saved. ${again}`;
}
