/** A modal or Home tab as the person sees it: its title, then every block whole (see render-blocks.ts). */
import { isObject } from '../test/fakes/slack/wire.js';
import { type Names, renderBlocks, renderMrkdwn } from './render-blocks.js';
import type { SlackView } from './sandbox-client.js';

const textOf = (value: unknown) => (isObject(value) && typeof value.text === 'string' ? value.text : '');

export function describeView(view: SlackView, names?: Names, now = new Date()): string {
  const titleText = renderMrkdwn(textOf(view.title), names, now);
  const title = titleText ? ` ${JSON.stringify(titleText)}` : '';
  const buttons = [view.close, view.submit].filter(isObject).map((button) => `[${textOf(button)}]`);
  const lines = [`${view.id}${title} (${view.callback_id || view.type})`];
  lines.push(...renderBlocks(view.blocks, names, now).map((line) => `  ${line}`));
  if (buttons.length > 0) lines.push(`  ${buttons.join('  ')}`);
  return lines.join('\n');
}
