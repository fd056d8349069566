import type { types } from '@slack/bolt';
import type { CallHistory, CommentCount, HistoryEntry, PendingItem } from '../../domain/calls/call-history.js';
import { formatOffset } from '../../domain/calls/offset.js';
import { describePosition, slackDate } from './call-context-text.js';
import { flexReadProblemText } from './flex-read-problem.js';
import { escapeMrkdwn, mention, quote, truncate } from './mrkdwn.js';

/** The button that shows a call's history, in the comment form and in a call link's preview. */
export const CALL_HISTORY_ACTION_ID = 'qm_call_history';
export const CALL_HISTORY_CALLBACK_ID = 'qm_call_history';

/** What the button carries: the call's segment id (a button value holds at most 2000 characters). */
export interface CallHistoryButtonValue {
  s: string;
}

/*
 * A modal rather than an ephemeral message: a long list scrolls there, Slack allows 100 blocks in a modal
 * against 50 in a message, nothing is left in the channel, and from the comment form it is pushed on top
 * and closes back to the form (https://api.slack.com/reference/surfaces/views, block-kit-rules.ts).
 * Each entry is one section of at most 3000 characters; 40 of them stay far below a view's 250 kB.
 */
const MAX_ENTRIES = 40;
const MAX_PENDING = 10;
const SECTION_MAX = 3000;
const TITLE = { type: 'plain_text', text: 'Call history' } as const;

function modal(blocks: types.KnownBlock[]): types.ModalView {
  return {
    type: 'modal',
    callback_id: CALL_HISTORY_CALLBACK_ID,
    title: TITLE,
    close: { type: 'plain_text', text: 'Close' },
    blocks,
  };
}

function section(text: string): types.SectionBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(text, SECTION_MAX) } };
}

function context(text: string): types.ContextBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(text, SECTION_MAX) }] };
}

/** Shown at once, while Flex is asked. */
export function callHistoryLoadingView(segmentId: string): types.ModalView {
  return modal([context(describePosition(segmentId, undefined)), section('_Reading what Flex holds on this call…_')]);
}

/** The app's own database could not be read: nothing to show, and what to do. */
export function callHistoryUnavailableView(segmentId: string): types.ModalView {
  return modal([
    context(describePosition(segmentId, undefined)),
    section(
      ":warning: The call's history could not be read: the app's database did not answer. Try again in a minute; if it goes on, tell your Slack admin.",
    ),
  ]);
}

/** Someone who may not see the history (any more): why, and nothing else. */
export function callHistoryRefusedView(refusal: string): types.ModalView {
  return modal([section(refusal)]);
}

/** The buttons that page through a long history; each carries the call and the page it shows. */
export const CALL_HISTORY_NEWER_ACTION_ID = 'qm_call_history_newer';
export const CALL_HISTORY_OLDER_ACTION_ID = 'qm_call_history_older';

export interface CallHistoryPageValue {
  s: string;
  p: number;
}

/** How many pages a history of this many entries has (at least one). */
export function historyPageCount(entries: number): number {
  return Math.max(1, Math.ceil(entries / MAX_ENTRIES));
}

/**
 * Comments and scorecard answers on the call, newest first, after what the app still has to send; `page`
 * (from 0, newest) of 40 entries each, with buttons to the newer and older ones.
 */
export function callHistoryView(history: CallHistory, page = 0): types.ModalView {
  const pages = historyPageCount(history.entries.length);
  const shown = Math.min(Math.max(0, Math.floor(page)), pages - 1);
  const blocks: types.KnownBlock[] = [context(describePosition(history.segmentId, undefined))];
  if (history.pending.length > 0 && shown === 0) {
    blocks.push(section(`*Not in Flex yet* (${history.pending.length})`));
    for (const item of history.pending.slice(0, MAX_PENDING)) blocks.push(section(pendingText(item)));
    if (history.pending.length > MAX_PENDING) {
      blocks.push(
        context(
          `…and ${history.pending.length - MAX_PENDING} more: a QM admin sees them all with \`npm run assessments -- list\`.`,
        ),
      );
    }
  }
  for (const problem of history.problems) {
    const what = {
      comments: 'the comments',
      answers: 'the scorecard answers',
      'own answers': 'the scorecard answers you made with your own Flex authorization',
    }[problem.what];
    blocks.push(
      section(`:warning: Could not read ${what} from Flex. ${escapeMrkdwn(flexReadProblemText(problem.error))}`),
    );
  }
  const comments = history.entries.filter((entry) => entry.kind === 'comment').length;
  const scorecards = history.entries.length - comments;
  if (history.entries.length === 0) {
    const failed = new Set(history.problems.map((problem) => problem.what));
    if (failed.size === 0) blocks.push(section('Flex holds no comments or scorecard answers on this call yet.'));
    else if (!(failed.has('comments') && failed.has('answers'))) {
      blocks.push(section('Flex holds no other entries on this call yet.'));
    }
  } else {
    const first = shown * MAX_ENTRIES;
    const onPage = history.entries.slice(first, first + MAX_ENTRIES);
    const range = pages > 1 ? ` (${first + 1}–${first + onPage.length})` : '';
    blocks.push(
      section(`*In Flex*: ${plural(comments, 'comment')} and ${plural(scorecards, 'scorecard')}, newest first${range}`),
    );
    for (const entry of onPage) blocks.push(section(entryText(entry)));
  }
  if (pages > 1) blocks.push(pageButtons(history.segmentId, shown, pages));
  if (!history.complete) {
    blocks.push(context('Flex holds more than the app reads at once; Flex Insights shows them all.'));
  }
  blocks.push(
    context(
      'Flex lists scorecard answers only to whoever made them: these are the ones made with this app’s Twilio account, and yours. Times are in your time zone.',
    ),
  );
  return modal(blocks);
}

function pageButtons(segmentId: string, shown: number, pages: number): types.ActionsBlock {
  const button = (actionId: string, text: string, page: number): types.Button => {
    const value: CallHistoryPageValue = { s: segmentId, p: page };
    return { type: 'button', action_id: actionId, text: { type: 'plain_text', text }, value: JSON.stringify(value) };
  };
  return {
    type: 'actions',
    block_id: 'history_pages',
    elements: [
      ...(shown > 0 ? [button(CALL_HISTORY_NEWER_ACTION_ID, '← Newer', shown - 1)] : []),
      ...(shown < pages - 1 ? [button(CALL_HISTORY_OLDER_ACTION_ID, 'Older →', shown + 1)] : []),
    ],
  };
}

/** "3 comments already on this call" and a button for the list; "No comments…" when there are none. */
export function commentCountBlock(count: CommentCount, segmentId: string): types.KnownBlock {
  if (count.count === 0 && !count.more) return context('No comments on this call yet.');
  const value: CallHistoryButtonValue = { s: segmentId };
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: `:speech_balloon: ${commentCountText(count)} already on this call` },
    accessory: {
      type: 'button',
      action_id: CALL_HISTORY_ACTION_ID,
      text: { type: 'plain_text', text: 'Show them' },
      value: JSON.stringify(value),
    },
  };
}

export function commentCountText(count: CommentCount): string {
  if (count.more) return `${count.count}+ comments`;
  return plural(count.count, 'comment');
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** Flex's author, and who posted it from Slack: with the app's credentials Flex names only the Twilio account. */
function authorOf(entry: HistoryEntry): string {
  const flex = escapeMrkdwn(truncate(entry.author.name || entry.author.email || 'an unnamed Flex user', 100));
  return entry.author.slackUserId ? `${flex} (posted from Slack by ${mention(entry.author.slackUserId)})` : flex;
}

function headline(parts: Array<string | null>): string {
  return parts.filter((part): part is string => Boolean(part)).join(' · ');
}

function at(offsetSeconds: number | null): string | null {
  return offsetSeconds === null ? null : `at ${formatOffset(offsetSeconds)}`;
}

function entryText(entry: HistoryEntry): string {
  const when = entry.at ? slackDate(entry.at.toISOString()) : null;
  if (entry.kind === 'comment') {
    const category = `*${escapeMrkdwn(truncate(entry.categoryName || 'No category', 100))}*`;
    const top = `:memo: ${headline([category, at(entry.offsetSeconds), authorOf(entry), when])}`;
    // The comment is what people typed: quoted, escaped, and cut so the section stays within Slack's limit.
    return `${top}\n${quote(entry.text || '(no text)', SECTION_MAX - top.length - 10)}`;
  }
  const name = `*Scorecard: ${escapeMrkdwn(truncate(entry.questionnaireName || 'a questionnaire', 100))}*`;
  const top = `:bar_chart: ${headline([name, at(entry.offsetSeconds), authorOf(entry), when])}`;
  const lines: string[] = [top];
  let length = top.length;
  for (const [index, answer] of entry.answers.entries()) {
    const line = `• ${headline([
      answer.categoryName ? `_${escapeMrkdwn(truncate(answer.categoryName, 80))}_` : null,
      escapeMrkdwn(truncate(answer.questionText || 'A question', 200)),
    ])}: *${escapeMrkdwn(truncate(answer.answerText || '—', 100))}*`;
    if (length + line.length + 40 > SECTION_MAX) {
      lines.push(`…and ${entry.answers.length - index} more answers`);
      break;
    }
    lines.push(line);
    length += line.length + 1;
  }
  return lines.join('\n');
}

function pendingText(item: PendingItem): string {
  const what = item.kind === 'comment' ? 'comment' : 'scorecard';
  const title = `*${escapeMrkdwn(truncate(item.title, 100))}*`;
  const when = slackDate(item.createdAt.toISOString());
  const state =
    item.status === 'pending'
      ? `:hourglass_flowing_sand: Being sent to Flex${item.attempts > 1 ? ` (attempt ${item.attempts})` : ''}`
      : `:warning: Flex did not take it${item.lastError ? `: ${escapeMrkdwn(truncate(item.lastError, 300))}` : ''}. ${
          item.kind === 'comment'
            ? 'Its reviewer has a *Retry* button in the app’s message about it.'
            : 'Scoring the call again sends it again.'
        }`;
  const top = `${mention(item.reviewerSlackUserId)}’s ${what} · ${headline([title, at(item.offsetSeconds), when])}`;
  const detail = item.kind === 'comment' ? quote(item.detail, 1500) : escapeMrkdwn(item.detail);
  return `${top}\n${detail}\n${state}`;
}
