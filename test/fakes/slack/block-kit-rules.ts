/**
 * The Block Kit limits Slack enforces, reported the way Slack reports them: one line per problem,
 * ending in a JSON pointer (`must be less than 25 characters [json-pointer:/view/title/text]`).
 * Only rules Slack documents or is known to apply are here, so a view the fake refuses would be
 * refused by Slack too; the reverse is not promised.
 */
import { isObject, type Json } from './wire.js';

class Problems {
  readonly lines: string[] = [];
  add(message: string, pointer: string): void {
    this.lines.push(`${message} [json-pointer:${pointer}]`);
  }
}

interface TextRule {
  max: number;
  required?: boolean;
  plainOnly?: boolean;
}

function checkText(p: Problems, value: unknown, pointer: string, rule: TextRule): void {
  if (value === undefined || value === null) {
    if (rule.required) {
      const at = pointer.lastIndexOf('/');
      p.add(`missing required field: ${pointer.slice(at + 1)}`, pointer.slice(0, at) || '/');
    }
    return;
  }
  if (!isObject(value) || typeof value.text !== 'string' || (value.type !== 'plain_text' && value.type !== 'mrkdwn')) {
    p.add('failed to match all allowed schemas', pointer);
    return;
  }
  if (rule.plainOnly && value.type !== 'plain_text') p.add('must be a plain_text text object', `${pointer}/type`);
  if (value.text.length === 0) p.add('must be more than 0 characters', `${pointer}/text`);
  if (value.text.length > rule.max) p.add(`must be less than ${rule.max + 1} characters`, `${pointer}/text`);
}

function checkLength(p: Problems, value: unknown, max: number, pointer: string): void {
  if (typeof value === 'string' && value.length > max) p.add(`must be less than ${max + 1} characters`, pointer);
}

function checkOption(p: Problems, option: unknown, pointer: string): void {
  if (!isObject(option)) {
    p.add('failed to match all allowed schemas', pointer);
    return;
  }
  checkText(p, option.text, `${pointer}/text`, { max: 75, required: true });
  if (option.description !== undefined) checkText(p, option.description, `${pointer}/description`, { max: 75 });
  if (typeof option.value !== 'string') p.add('missing required field: value', pointer);
  else checkLength(p, option.value, 150, `${pointer}/value`);
}

const OPTION_LIMITS: Record<string, { min: number; max: number }> = {
  static_select: { min: 1, max: 100 },
  multi_static_select: { min: 1, max: 100 },
  radio_buttons: { min: 1, max: 10 },
  checkboxes: { min: 1, max: 10 },
  overflow: { min: 1, max: 5 },
};

/** Every option an element defines, flat, with its pointer. */
function optionsOf(p: Problems, element: Json, pointer: string): Json[] {
  const found: Json[] = [];
  const limits = OPTION_LIMITS[String(element.type)];
  if (!limits) return found;
  const { options, option_groups: groups } = element;
  if (Array.isArray(options)) {
    if (options.length < limits.min || options.length > limits.max) {
      p.add(`must contain between ${limits.min} and ${limits.max} items`, `${pointer}/options`);
    }
    options.forEach((option, i) => {
      checkOption(p, option, `${pointer}/options/${i}`);
      if (isObject(option)) found.push(option);
    });
  } else if (Array.isArray(groups) && String(element.type).endsWith('static_select')) {
    if (groups.length === 0 || groups.length > 100) {
      p.add('must contain between 1 and 100 items', `${pointer}/option_groups`);
    }
    groups.forEach((group, g) => {
      const at = `${pointer}/option_groups/${g}`;
      if (!isObject(group) || !Array.isArray(group.options)) {
        p.add('failed to match all allowed schemas', at);
        return;
      }
      checkText(p, group.label, `${at}/label`, { max: 75, required: true, plainOnly: true });
      if (group.options.length === 0 || group.options.length > 100) {
        p.add('must contain between 1 and 100 items', `${at}/options`);
      }
      group.options.forEach((option, i) => {
        checkOption(p, option, `${at}/options/${i}`);
        if (isObject(option)) found.push(option);
      });
    });
  } else {
    p.add('must provide either options or option_groups', pointer);
  }
  return found;
}

function checkInitialOptions(p: Problems, element: Json, options: Json[], pointer: string): void {
  if (options.length === 0) return;
  const known = new Set(options.map((option) => option.value));
  if (isObject(element.initial_option) && !known.has(element.initial_option.value)) {
    p.add('initial_option must match one of the options', `${pointer}/initial_option`);
  }
  if (Array.isArray(element.initial_options)) {
    element.initial_options.forEach((option, i) => {
      if (!isObject(option) || !known.has(option.value)) {
        p.add('initial_options must match the options', `${pointer}/initial_options/${i}`);
      }
    });
  }
}

function checkElement(p: Problems, element: unknown, pointer: string): void {
  if (!isObject(element) || typeof element.type !== 'string') {
    p.add('failed to match all allowed schemas', pointer);
    return;
  }
  checkLength(p, element.action_id, 255, `${pointer}/action_id`);
  if (element.placeholder !== undefined) {
    checkText(p, element.placeholder, `${pointer}/placeholder`, { max: 150, plainOnly: true });
  }
  checkInitialOptions(p, element, optionsOf(p, element, pointer), pointer);
  switch (element.type) {
    case 'button':
      checkText(p, element.text, `${pointer}/text`, { max: 75, required: true, plainOnly: true });
      checkLength(p, element.value, 2000, `${pointer}/value`);
      checkLength(p, element.url, 3000, `${pointer}/url`);
      break;
    case 'plain_text_input': {
      const { max_length: max, min_length: min, initial_value: initial } = element;
      if (max !== undefined && (typeof max !== 'number' || max < 1 || max > 3000)) {
        p.add('must be between 1 and 3000', `${pointer}/max_length`);
      }
      if (min !== undefined && (typeof min !== 'number' || min < 0 || min > 3000)) {
        p.add('must be between 0 and 3000', `${pointer}/min_length`);
      }
      const limit = typeof max === 'number' ? Math.min(max, 3000) : 3000;
      if (typeof initial === 'string' && initial.length > limit) {
        p.add(`must be less than ${limit + 1} characters`, `${pointer}/initial_value`);
      }
      break;
    }
    case 'datepicker':
      if (element.initial_date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(String(element.initial_date))) {
        p.add('must be a date in the format YYYY-MM-DD', `${pointer}/initial_date`);
      }
      break;
    case 'external_select':
    case 'multi_external_select':
      if (element.min_query_length !== undefined && typeof element.min_query_length !== 'number') {
        p.add('must be an integer', `${pointer}/min_query_length`);
      }
      break;
  }
}

/** The element types an `input` block may hold (Slack refuses buttons and overflows there). */
const INPUT_ELEMENTS = new Set([
  'plain_text_input',
  'email_text_input',
  'url_text_input',
  'number_input',
  'rich_text_input',
  'static_select',
  'external_select',
  'users_select',
  'conversations_select',
  'channels_select',
  'multi_static_select',
  'multi_external_select',
  'multi_users_select',
  'multi_conversations_select',
  'multi_channels_select',
  'checkboxes',
  'radio_buttons',
  'datepicker',
  'timepicker',
  'datetimepicker',
  'file_input',
]);

const PASSIVE_BLOCKS = new Set(['divider', 'rich_text', 'video', 'file', 'markdown', 'table', 'context_actions']);

/** Checks blocks and returns how many are `input` blocks (a modal with any must define `submit`). */
function checkBlocks(p: Problems, blocks: unknown, pointer: string, maxBlocks: number): number {
  if (!Array.isArray(blocks)) {
    p.add('must be an array', pointer);
    return 0;
  }
  if (blocks.length > maxBlocks) p.add(`must contain no more than ${maxBlocks} items`, pointer);
  const seen = new Set<string>();
  let inputs = 0;
  blocks.forEach((block, i) => {
    const at = `${pointer}/${i}`;
    if (!isObject(block) || typeof block.type !== 'string') {
      p.add('failed to match all allowed schemas', at);
      return;
    }
    if (typeof block.block_id === 'string') {
      checkLength(p, block.block_id, 255, `${at}/block_id`);
      if (seen.has(block.block_id)) p.add(`duplicate block_id "${block.block_id}"`, `${at}/block_id`);
      seen.add(block.block_id);
    }
    switch (block.type) {
      case 'section':
        checkText(p, block.text, `${at}/text`, { max: 3000, required: !Array.isArray(block.fields) });
        if (Array.isArray(block.fields)) {
          if (block.fields.length > 10) p.add('must contain no more than 10 items', `${at}/fields`);
          block.fields.forEach((field, j) => {
            checkText(p, field, `${at}/fields/${j}`, { max: 2000 });
          });
        }
        if (block.accessory !== undefined) checkElement(p, block.accessory, `${at}/accessory`);
        break;
      case 'header':
        checkText(p, block.text, `${at}/text`, { max: 150, required: true, plainOnly: true });
        break;
      case 'input':
        inputs += 1;
        checkText(p, block.label, `${at}/label`, { max: 2000, required: true, plainOnly: true });
        if (block.hint !== undefined) checkText(p, block.hint, `${at}/hint`, { max: 2000, plainOnly: true });
        if (!isObject(block.element)) p.add('missing required field: element', at);
        else if (!INPUT_ELEMENTS.has(String(block.element.type))) {
          p.add('failed to match all allowed schemas', `${at}/element`);
        } else checkElement(p, block.element, `${at}/element`);
        break;
      case 'context':
        if (!Array.isArray(block.elements) || block.elements.length === 0 || block.elements.length > 10) {
          p.add('must contain between 1 and 10 items', `${at}/elements`);
        } else {
          block.elements.forEach((element, j) => {
            if (isObject(element) && element.type === 'image') return;
            checkText(p, element, `${at}/elements/${j}`, { max: 3000, required: true });
          });
        }
        break;
      case 'actions':
        if (!Array.isArray(block.elements) || block.elements.length === 0 || block.elements.length > 25) {
          p.add('must contain between 1 and 25 items', `${at}/elements`);
        } else {
          block.elements.forEach((element, j) => {
            checkElement(p, element, `${at}/elements/${j}`);
          });
        }
        break;
      case 'image':
        if (typeof block.image_url !== 'string' && !isObject(block.slack_file)) {
          p.add('missing required field: image_url', at);
        }
        if (typeof block.alt_text !== 'string') p.add('missing required field: alt_text', at);
        else checkLength(p, block.alt_text, 2000, `${at}/alt_text`);
        break;
      default:
        if (!PASSIVE_BLOCKS.has(block.type)) p.add(`unsupported block type "${block.type}"`, `${at}/type`);
    }
  });
  return inputs;
}

/** What views.open, views.push and views.update refuse (modal), and views.publish (home). */
export function viewProblems(view: unknown, surface: 'modal' | 'home' | 'any'): string[] {
  const p = new Problems();
  if (!isObject(view)) {
    p.add('failed to match all allowed schemas', '/view');
    return p.lines;
  }
  const type = view.type;
  if (type !== 'modal' && type !== 'home') p.add('must be one of modal, home', '/view/type');
  else if (surface !== 'any' && type !== surface) p.add(`must be ${surface} for this method`, '/view/type');
  if (type === 'modal') {
    checkText(p, view.title, '/view/title', { max: 24, required: true, plainOnly: true });
    checkText(p, view.submit, '/view/submit', { max: 24, plainOnly: true });
    checkText(p, view.close, '/view/close', { max: 24, plainOnly: true });
  }
  const inputs = checkBlocks(p, view.blocks, '/view/blocks', 100);
  if (inputs > 0 && type === 'modal' && (view.submit === undefined || view.submit === null)) {
    p.add('must define `submit` when `input` blocks are present', '/view');
  }
  checkLength(p, view.callback_id, 255, '/view/callback_id');
  checkLength(p, view.external_id, 255, '/view/external_id');
  checkLength(p, view.private_metadata, 3000, '/view/private_metadata');
  return p.lines;
}

/** Block Kit problems in a message (chat.postMessage, chat.update, chat.postEphemeral, response_url). */
export function messageBlockProblems(blocks: unknown): string[] {
  const p = new Problems();
  if (blocks !== undefined) checkBlocks(p, blocks, '/blocks', 50);
  return p.lines;
}

/**
 * What Slack adds when it stores blocks: an id on every block and interactive element that lacks one
 * (so state and actions can name them), and `emoji: true` on plain_text objects.
 */
export function normalizeStored<T>(value: T): T {
  const copy = structuredClone(value);
  walk(copy);
  return copy;
}

function walk(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item);
    return;
  }
  if (!isObject(value)) return;
  if (value.type === 'plain_text' && typeof value.text === 'string' && value.emoji === undefined) value.emoji = true;
  if (Array.isArray(value.blocks)) {
    for (const block of value.blocks) {
      if (!isObject(block)) continue;
      if (typeof block.block_id !== 'string') block.block_id = shortId();
      const elements = [
        block.element,
        block.accessory,
        ...(block.type === 'actions' && Array.isArray(block.elements) ? block.elements : []),
      ];
      for (const element of elements) {
        if (isObject(element) && typeof element.action_id !== 'string') element.action_id = shortId();
      }
    }
  }
  for (const child of Object.values(value)) walk(child);
}

function shortId(): string {
  return Math.random().toString(36).slice(2, 7).padEnd(5, '0');
}
