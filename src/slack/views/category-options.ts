import type { types } from '@slack/bolt';
import { truncate } from './mrkdwn.js';

/**
 * Block Kit's limits for a static_select (https://docs.slack.dev/reference/block-kit/block-elements/select-menu-element#static_select):
 * at most 100 `options`, or at most 100 `option_groups` of at most 100 options each; labels and
 * option texts at most 75 characters.
 */
const MAX_OPTIONS = 100;
const MAX_GROUPS = 100;
const MAX_TEXT = 75;

export interface CategoryChoice {
  id: string;
  name: string;
  isDefault?: boolean;
}

export type CategoryMenuOptions =
  | { options: types.PlainTextOption[]; initial?: types.PlainTextOption }
  | {
      option_groups: Array<{ label: types.PlainTextElement; options: types.PlainTextOption[] }>;
      initial?: types.PlainTextOption;
    };

/**
 * The category menu's options: a plain list up to 100 tags, beyond that groups of 100 in the
 * catalog's order ("Categories 101–120"), so every tag can be chosen, up to 10,000 of them. Groups
 * rather than an external_select: Slack's menu filters what is typed without asking the app, the
 * whole list travels with the modal (no options load URL to configure, no 3-second answer to make
 * for every keystroke, the same in Socket Mode), and the default tag is pre-selected as before.
 */
export function categoryMenuOptions(categories: readonly CategoryChoice[], selectedId?: string): CategoryMenuOptions {
  const all = categories.slice(0, MAX_OPTIONS * MAX_GROUPS).map(
    (category): types.PlainTextOption => ({
      text: { type: 'plain_text', text: truncate(category.name, MAX_TEXT) },
      value: category.id,
    }),
  );
  const initialId = selectedId ?? categories.find((category) => category.isDefault)?.id;
  const found = all.find((option) => option.value === initialId);
  const initial = found ? { initial: found } : {};
  if (all.length <= MAX_OPTIONS) return { options: all, ...initial };
  const option_groups = [];
  for (let start = 0; start < all.length; start += MAX_OPTIONS) {
    const options = all.slice(start, start + MAX_OPTIONS);
    const label = `Categories ${start + 1}–${start + options.length}`;
    option_groups.push({ label: { type: 'plain_text' as const, text: label }, options });
  }
  return { option_groups, ...initial };
}
