/** A modal or Home tab in a few lines: its title and what its inputs hold. */
import { isObject } from '../test/fakes/slack/wire.js';
import { short } from './journal.js';
import type { SlackView } from './sandbox-client.js';

const textOf = (value: unknown) => (isObject(value) && typeof value.text === 'string' ? value.text : '');

export function describeView(view: SlackView): string {
  const blocks = Array.isArray(view.blocks) ? view.blocks.filter(isObject) : [];
  const lines = [`${view.id} ${short(textOf(view.title), 40)} (${view.callback_id || view.type})`];
  for (const block of blocks) {
    if (block.type === 'input' && isObject(block.element)) {
      const element = block.element;
      const options = Array.isArray(element.options) ? element.options.filter(isObject).map((o) => textOf(o.text)) : [];
      const holds =
        typeof element.initial_value === 'string'
          ? `= ${short(element.initial_value, 40)}`
          : isObject(element.initial_option)
            ? `= ${short(textOf(element.initial_option.text), 40)}`
            : options.length > 0
              ? `one of: ${options.join(' | ')}`
              : '(empty)';
      lines.push(`  input ${String(block.block_id).padEnd(9)} ${short(textOf(block.label), 30)} ${holds}`);
    } else if (block.type === 'section' || block.type === 'context') {
      const text = textOf(block.text) || (Array.isArray(block.elements) ? block.elements.map(textOf).join(' ') : '');
      if (text) lines.push(`  ${short(text, 100)}`);
    }
  }
  return lines.join('\n');
}
