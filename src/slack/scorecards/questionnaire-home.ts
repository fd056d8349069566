import type { types } from '@slack/bolt';
import { workspaceOption } from '../../domain/identities/admin-commands.js';
import type { QuestionnaireListing, QuestionnaireSyncSummary } from '../listeners/services.js';
import { slackDate } from '../views/call-context-text.js';
import { escapeMrkdwn, truncate } from '../views/mrkdwn.js';

/** The Home tab's Sync button for questionnaires (the identities' one is `identities_sync`). */
export const QUESTIONNAIRES_SYNC_ACTION_ID = 'questionnaires_sync';

/** At most this many questionnaires are listed on the Home tab; the CLI lists every one. */
const LISTED = 20;

export interface QuestionnaireHomeData {
  rows: QuestionnaireListing[];
  /** A line about the sync just run (or failing). */
  notice?: string;
  syncing?: boolean;
}

/**
 * The admins' questionnaires on the Home tab: what reviewers can score with (active, the default) and
 * what is inactive, with a Sync from Flex button. At most 4 blocks, whatever the number of questionnaires
 * (a Home tab holds 100: https://api.slack.com/reference/block-kit/blocks), and one section of at most
 * 3000 characters.
 */
export function questionnaireHomeBlocks(
  data: QuestionnaireHomeData,
  workspaceId: string | undefined,
): types.KnownBlock[] {
  const blocks: types.KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: '*Questionnaires (admin)*' } }];
  const { rows } = data;
  const active = rows.filter((row) => row.active).length;
  const lines = rows.slice(0, LISTED).map((row) => {
    const state = row.active ? ':large_green_circle: active' : ':white_circle: inactive';
    const flags = row.isDefault ? ' · *default*' : '';
    return `${state} · *${escapeMrkdwn(truncate(row.name, 80))}*${flags} · ${row.questionCount} question${row.questionCount === 1 ? '' : 's'}`;
  });
  if (rows.length > LISTED) {
    lines.push(`…and ${rows.length - LISTED} more: \`npm run questionnaires -- list${workspaceOption(workspaceId)}\``);
  }
  const newest = rows.reduce<Date | undefined>(
    (last, row) => (!last || row.syncedAt > last ? row.syncedAt : last),
    undefined,
  );
  const summary =
    rows.length === 0
      ? 'No questionnaires yet: reviewers cannot score calls until they are read from Flex.'
      : `${active} active of ${rows.length}, last read from Flex ${slackDate(newest?.toISOString() ?? '')}.`;
  blocks.push({
    type: 'section',
    text: { type: 'mrkdwn', text: truncate([summary, ...lines].join('\n'), 3000) },
  });
  if (data.notice) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: truncate(data.notice, 3000) }] });
  blocks.push({
    type: 'actions',
    block_id: 'questionnaires_admin',
    elements: [
      {
        type: 'button',
        action_id: QUESTIONNAIRES_SYNC_ACTION_ID,
        text: { type: 'plain_text', text: data.syncing ? 'Syncing…' : 'Sync from Flex' },
        value: 'sync',
      },
    ],
  });
  return blocks;
}

/** The notice after a sync from the Home tab. */
export function questionnaireSyncNotice(report: QuestionnaireSyncSummary): string {
  const unusable =
    report.unusable.length > 0
      ? ` ${report.unusable.length} question${report.unusable.length === 1 ? ' uses' : 's use'} an answer set Flex did not list, so ${report.unusable.length === 1 ? 'its questionnaire is' : 'their questionnaires are'} not offered.`
      : '';
  return `:white_check_mark: Synced questionnaires: added ${report.added}, updated ${report.updated}, deactivated ${report.deactivated}, unchanged ${report.unchanged}.${unusable}`;
}
