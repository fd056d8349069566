/**
 * The Block Kit limits Slack enforces, reported the way Slack reports them: one line per problem,
 * ending in a JSON pointer (`must be less than 25 characters [json-pointer:/view/title/text]`).
 * Only rules Slack documents or its official SDK validates are here, so a view the fake refuses would
 * be refused by Slack too; the reverse is not promised.
 *
 * Every surface the app writes is covered: modals (views.open/push/update) and Home tabs
 * (views.publish) by viewProblems; messages (chat.*) and response_url bodies by messageBlockProblems;
 * chat.unfurl by unfurlProblems; the views and errors of a view_submission's `response_action` answer
 * by viewSubmissionAnswerProblems; options answers to block_suggestion by optionsAnswerProblems.
 *
 * Sources, cited beside each rule by their tag:
 * - [blocks]    https://api.slack.com/reference/block-kit/blocks (one section per block type)
 * - [elements]  https://api.slack.com/reference/block-kit/block-elements (one section per element)
 * - [objects]   https://api.slack.com/reference/block-kit/composition-objects (text, option, option group)
 * - [views]     https://api.slack.com/reference/surfaces/views (modal and Home tab view objects)
 * - [modals]    https://api.slack.com/surfaces/modals (response_action answers to view_submission)
 * - [suggest]   https://api.slack.com/reference/interaction-payloads/block-suggestion ("a maximum of
 *               100 options or option groups" in the answer)
 * - [unfurl]    https://api.slack.com/methods/chat.unfurl (`unfurls`: URL -> blocks or attachments)
 * - [py-sdk]    the @JsonValidator rules of slackapi/python-slack-sdk at ae87985e2c3811ead978f31ea5a1e4a7ca5c3515:
 *               slack_sdk/models/blocks/{blocks,block_elements,basic_components}.py and
 *               slack_sdk/models/views/__init__.py (class and attribute named beside each rule)
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
  // [objects] text object: "minimum length 1"; [py-sdk] RawTextObject "at least 1 character".
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
  // [objects] option object: text ≤75, description ≤75, value ≤150; [py-sdk] Option.label_max_length,
  // value_max_length.
  checkText(p, option.text, `${pointer}/text`, { max: 75, required: true });
  if (option.description !== undefined) checkText(p, option.description, `${pointer}/description`, { max: 75 });
  if (typeof option.value !== 'string') p.add('missing required field: value', pointer);
  else checkLength(p, option.value, 150, `${pointer}/value`);
}

/**
 * [elements] static_select / multi_static_select: options or option_groups, up to 100 of either
 * ([py-sdk] StaticSelectElement.options_max_length, option_groups_max_length); radio_buttons and
 * checkboxes: up to 10 options; overflow: 1 to 5 ([py-sdk] OverflowMenuElement.options_min_length,
 * options_max_length). An empty list offers nothing and is refused.
 */
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
  // [py-sdk] StaticSelectElement: "options and option_groups cannot both be specified".
  if (options !== undefined && groups !== undefined) {
    p.add('must provide either options or option_groups, not both', pointer);
  }
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
      // [objects] option group: label plain_text ≤75, options ≤100 ([py-sdk] OptionGroup).
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
  // [py-sdk] InteractiveElement.action_id_max_length 255, InputInteractiveElement.placeholder_max_length 150.
  checkLength(p, element.action_id, 255, `${pointer}/action_id`);
  if (element.placeholder !== undefined) {
    checkText(p, element.placeholder, `${pointer}/placeholder`, { max: 150, plainOnly: true });
  }
  checkInitialOptions(p, element, optionsOf(p, element, pointer), pointer);
  switch (element.type) {
    case 'button':
      // [py-sdk] ButtonElement: text ≤75, url ≤3000, value ≤2000.
      checkText(p, element.text, `${pointer}/text`, { max: 75, required: true, plainOnly: true });
      checkLength(p, element.value, 2000, `${pointer}/value`);
      checkLength(p, element.url, 3000, `${pointer}/url`);
      break;
    case 'plain_text_input': {
      // [elements] plain_text_input: max_length 1-3000, min_length 0-3000, initial_value within them.
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
      // [py-sdk] DatePickerElement: "initial_date attribute must be in format 'YYYY-MM-DD'".
      if (element.initial_date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(String(element.initial_date))) {
        p.add('must be a date in the format YYYY-MM-DD', `${pointer}/initial_date`);
      }
      break;
    case 'external_select':
    case 'multi_external_select':
      // [elements] external_select: min_query_length is an integer.
      if (element.min_query_length !== undefined && typeof element.min_query_length !== 'number') {
        p.add('must be an integer', `${pointer}/min_query_length`);
      }
      break;
  }
}

/**
 * The element types an `input` block may hold ([blocks] input: "element"; [py-sdk] InputBlock: an
 * InputInteractiveElement). Slack refuses buttons and overflows there.
 */
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

const PASSIVE_BLOCKS = new Set(['divider', 'rich_text', 'video', 'file', 'table', 'context_actions']);

/** Checks blocks and returns how many are `input` blocks (a modal with any must define `submit`). */
function checkBlocks(p: Problems, blocks: unknown, pointer: string, maxBlocks: number): number {
  if (!Array.isArray(blocks)) {
    p.add('must be an array', pointer);
    return 0;
  }
  // [blocks] "up to 50 blocks in each message, and 100 blocks in modals or Home tabs"; [py-sdk] View.blocks_max_length.
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
      // [py-sdk] Block.block_id_max_length 255; [blocks] block_id "unique for each block".
      checkLength(p, block.block_id, 255, `${at}/block_id`);
      if (seen.has(block.block_id)) p.add(`duplicate block_id "${block.block_id}"`, `${at}/block_id`);
      seen.add(block.block_id);
    }
    switch (block.type) {
      case 'section':
        // [py-sdk] SectionBlock: text or fields, text ≤3000, fields ≤10; [blocks] section: each field ≤2000.
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
        // [py-sdk] HeaderBlock.text_max_length 150; [blocks] header: plain_text only.
        checkText(p, block.text, `${at}/text`, { max: 150, required: true, plainOnly: true });
        break;
      case 'input':
        // [py-sdk] InputBlock.label_max_length, hint_max_length 2000; [blocks] input: both plain_text.
        inputs += 1;
        checkText(p, block.label, `${at}/label`, { max: 2000, required: true, plainOnly: true });
        if (block.hint !== undefined) checkText(p, block.hint, `${at}/hint`, { max: 2000, plainOnly: true });
        if (!isObject(block.element)) p.add('missing required field: element', at);
        else if (!INPUT_ELEMENTS.has(String(block.element.type))) {
          p.add('failed to match all allowed schemas', `${at}/element`);
        } else checkElement(p, block.element, `${at}/element`);
        break;
      case 'context':
        // [py-sdk] ContextBlock.elements_max_length 10; [objects] each text 1-3000 characters.
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
        // [py-sdk] ActionsBlock.elements_max_length 25.
        if (!Array.isArray(block.elements) || block.elements.length === 0 || block.elements.length > 25) {
          p.add('must contain between 1 and 25 items', `${at}/elements`);
        } else {
          block.elements.forEach((element, j) => {
            checkElement(p, element, `${at}/elements/${j}`);
          });
        }
        break;
      case 'image':
        // [py-sdk] ImageBlock: image_url ≤3000, alt_text ≤2000, title ≤2000.
        if (typeof block.image_url !== 'string' && !isObject(block.slack_file)) {
          p.add('missing required field: image_url', at);
        } else checkLength(p, block.image_url, 3000, `${at}/image_url`);
        if (typeof block.alt_text !== 'string') p.add('missing required field: alt_text', at);
        else checkLength(p, block.alt_text, 2000, `${at}/alt_text`);
        if (block.title !== undefined) checkText(p, block.title, `${at}/title`, { max: 2000, plainOnly: true });
        break;
      case 'markdown':
        // [py-sdk] MarkdownBlock.text_max_length 12000.
        if (typeof block.text !== 'string') p.add('missing required field: text', at);
        else checkLength(p, block.text, 12000, `${at}/text`);
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
    // [py-sdk] View: title 1-24, submit ≤24, close ≤24; [views] modal: all three plain_text.
    checkText(p, view.title, '/view/title', { max: 24, required: true, plainOnly: true });
    checkText(p, view.submit, '/view/submit', { max: 24, plainOnly: true });
    checkText(p, view.close, '/view/close', { max: 24, plainOnly: true });
  }
  if (type === 'home' && (view.submit !== undefined || view.close !== undefined)) {
    // [py-sdk] View: "home view cannot have submit and close".
    p.add('a home view cannot have submit or close', '/view');
  }
  const inputs = checkBlocks(p, view.blocks, '/view/blocks', 100);
  // [views] modal submit: "required when an input block is within the blocks array".
  if (inputs > 0 && type === 'modal' && (view.submit === undefined || view.submit === null)) {
    p.add('must define `submit` when `input` blocks are present', '/view');
  }
  // [py-sdk] View.callback_id_max_length 255, private_metadata_max_length 3000; [views] external_id ≤255.
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
 * Problems in chat.unfurl's `unfurls` ([unfurl]): an object keyed by the URLs of the message, each
 * value an unfurl of message blocks (or legacy attachments), checked as a message's blocks are.
 */
export function unfurlProblems(unfurls: unknown): string[] {
  const p = new Problems();
  if (!isObject(unfurls)) {
    p.add('must be an object keyed by URL', '/unfurls');
    return p.lines;
  }
  for (const [url, unfurl] of Object.entries(unfurls)) {
    const at = `/unfurls/${url.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (!isObject(unfurl)) p.add('failed to match all allowed schemas', at);
    else if (unfurl.blocks !== undefined) checkBlocks(p, unfurl.blocks, `${at}/blocks`, 50);
    else if (!Array.isArray(unfurl.attachments) && typeof unfurl.text !== 'string') {
      p.add('must provide blocks, attachments or text', at);
    }
  }
  return p.lines;
}

/**
 * Problems in the app's HTTP answer to a view_submission ([modals]): empty (close the view), or a
 * `response_action` of `update` or `push` with a modal held to views.update's and views.push's rules,
 * `clear`, or `errors` keyed by block_ids of the submitted view's input blocks (when given) with
 * non-empty messages.
 */
export function viewSubmissionAnswerProblems(answer: unknown, submitted?: unknown): string[] {
  if (answer === undefined || answer === null) return [];
  const p = new Problems();
  if (!isObject(answer)) {
    p.add('failed to match all allowed schemas', '/');
    return p.lines;
  }
  switch (answer.response_action) {
    case undefined:
      if (Object.keys(answer).length > 0) p.add('missing required field: response_action', '/');
      break;
    case 'clear':
      break;
    case 'update':
    case 'push':
      return viewProblems(answer.view, 'modal');
    case 'errors': {
      if (!isObject(answer.errors) || Object.keys(answer.errors).length === 0) {
        p.add('must be an object of block_id to message', '/errors');
        break;
      }
      const inputs = new Set(
        isObject(submitted) && Array.isArray(submitted.blocks)
          ? submitted.blocks.filter((b) => isObject(b) && b.type === 'input').map((b) => (b as Json).block_id)
          : [],
      );
      for (const [blockId, message] of Object.entries(answer.errors)) {
        if (typeof message !== 'string' || message === '') p.add('must be a non-empty string', `/errors/${blockId}`);
        if (isObject(submitted) && !inputs.has(blockId))
          p.add('no input block has this block_id', `/errors/${blockId}`);
      }
      break;
    }
    default:
      p.add('must be one of errors, update, push, clear', '/response_action');
  }
  return p.lines;
}

/**
 * Problems in the app's answer to a block_suggestion ([suggest]): `options` or `option_groups`, at
 * most 100 of either, each option and group held to the option object's and option group's rules.
 * Unlike a static menu's, an empty list is a valid answer: nothing matched what was typed.
 */
export function optionsAnswerProblems(answer: unknown): string[] {
  const p = new Problems();
  if (!isObject(answer)) {
    p.add('failed to match all allowed schemas', '/');
    return p.lines;
  }
  const { options, option_groups: groups } = answer;
  if ((options === undefined) === (groups === undefined)) {
    p.add('must provide either options or option_groups', '/');
    return p.lines;
  }
  const list = options ?? groups;
  const key = options !== undefined ? 'options' : 'option_groups';
  if (!Array.isArray(list)) {
    p.add('must be an array', `/${key}`);
    return p.lines;
  }
  if (list.length > 100) p.add('must contain no more than 100 items', `/${key}`);
  list.forEach((item, i) => {
    if (key === 'options') {
      checkOption(p, item, `/options/${i}`);
      return;
    }
    const at = `/option_groups/${i}`;
    if (!isObject(item) || !Array.isArray(item.options)) {
      p.add('failed to match all allowed schemas', at);
      return;
    }
    checkText(p, item.label, `${at}/label`, { max: 75, required: true, plainOnly: true });
    if (item.options.length > 100) p.add('must contain no more than 100 items', `${at}/options`);
    item.options.forEach((option, j) => {
      checkOption(p, option, `${at}/options/${j}`);
    });
  });
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
