/**
 * The Block Kit limits Slack enforces, checked the way Slack reports them: each problem is a message
 * with a JSON pointer, as in `invalid_arguments` responses.
 */
type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const textOf = (value: unknown): string | undefined =>
  isObject(value) && typeof value.text === 'string' ? value.text : undefined;

function checkText(problems: string[], value: unknown, max: number, pointer: string, required = false): void {
  const text = textOf(value);
  if (text === undefined) {
    if (required) problems.push(`[ERROR] missing required field: text [json-pointer:${pointer}]`);
    return;
  }
  if (text.length === 0) problems.push(`[ERROR] must be more than 0 characters [json-pointer:${pointer}/text]`);
  if (text.length > max)
    problems.push(`[ERROR] must be less than ${max + 1} characters [json-pointer:${pointer}/text]`);
}

function checkElement(problems: string[], element: unknown, pointer: string): void {
  if (!isObject(element)) return;
  if (typeof element.action_id === 'string' && element.action_id.length > 255) {
    problems.push(`[ERROR] must be less than 256 characters [json-pointer:${pointer}/action_id]`);
  }
  if (element.placeholder !== undefined) checkText(problems, element.placeholder, 150, `${pointer}/placeholder`);
  if (element.type === 'static_select') {
    const options = Array.isArray(element.options) ? element.options : [];
    if (options.length === 0 && !Array.isArray(element.option_groups)) {
      problems.push(`[ERROR] must provide either options or option_groups [json-pointer:${pointer}]`);
    }
    if (options.length > 100)
      problems.push(`[ERROR] must contain no more than 100 items [json-pointer:${pointer}/options]`);
    options.forEach((option, i) => {
      checkText(problems, isObject(option) ? option.text : undefined, 75, `${pointer}/options/${i}/text`, true);
      const value = isObject(option) ? option.value : undefined;
      if (typeof value !== 'string' || value.length > 150) {
        problems.push(
          `[ERROR] must be a string of at most 150 characters [json-pointer:${pointer}/options/${i}/value]`,
        );
      }
    });
    if (isObject(element.initial_option)) {
      const initial = element.initial_option.value;
      if (!options.some((option) => isObject(option) && option.value === initial)) {
        problems.push(`[ERROR] initial_option must match one of the options [json-pointer:${pointer}/initial_option]`);
      }
    }
  }
  if (element.type === 'plain_text_input') {
    const max = typeof element.max_length === 'number' ? element.max_length : 3000;
    if (max < 1 || max > 3000) problems.push(`[ERROR] must be between 1 and 3000 [json-pointer:${pointer}/max_length]`);
    if (typeof element.initial_value === 'string' && element.initial_value.length > max) {
      problems.push(`[ERROR] initial_value must be no longer than max_length [json-pointer:${pointer}/initial_value]`);
    }
  }
}

export function checkBlocks(problems: string[], blocks: unknown, pointer: string, maxBlocks: number): string[] {
  if (!Array.isArray(blocks)) {
    problems.push(`[ERROR] must be an array [json-pointer:${pointer}]`);
    return [];
  }
  if (blocks.length > maxBlocks)
    problems.push(`[ERROR] must contain no more than ${maxBlocks} items [json-pointer:${pointer}]`);
  const seen = new Set<string>();
  const inputIds: string[] = [];
  blocks.forEach((block, i) => {
    const at = `${pointer}/${i}`;
    if (!isObject(block) || typeof block.type !== 'string') {
      problems.push(`[ERROR] must be a block object with a type [json-pointer:${at}]`);
      return;
    }
    if (typeof block.block_id === 'string') {
      if (block.block_id.length > 255)
        problems.push(`[ERROR] must be less than 256 characters [json-pointer:${at}/block_id]`);
      if (seen.has(block.block_id)) problems.push(`[ERROR] duplicate block_id [json-pointer:${at}/block_id]`);
      seen.add(block.block_id);
    }
    switch (block.type) {
      case 'section':
        checkText(problems, block.text, 3000, `${at}/text`, !Array.isArray(block.fields));
        break;
      case 'input':
        checkText(problems, block.label, 2000, `${at}/label`, true);
        if (block.hint !== undefined) checkText(problems, block.hint, 2000, `${at}/hint`);
        if (!isObject(block.element)) problems.push(`[ERROR] missing required field: element [json-pointer:${at}]`);
        checkElement(problems, block.element, `${at}/element`);
        inputIds.push(typeof block.block_id === 'string' ? block.block_id : `#${i}`);
        break;
      case 'context':
        if (!Array.isArray(block.elements) || block.elements.length === 0 || block.elements.length > 10) {
          problems.push(`[ERROR] must contain between 1 and 10 elements [json-pointer:${at}/elements]`);
        } else {
          block.elements.forEach((element, j) => {
            checkText(problems, element, 3000, `${at}/elements/${j}`);
          });
        }
        break;
      case 'actions':
        if (Array.isArray(block.elements)) {
          block.elements.forEach((e, j) => {
            checkElement(problems, e, `${at}/elements/${j}`);
          });
        }
        break;
      case 'divider':
      case 'header':
      case 'rich_text':
      case 'image':
        break;
      default:
        problems.push(`[ERROR] unsupported block type ${String(block.type)} [json-pointer:${at}/type]`);
    }
  });
  return inputIds;
}

/** What views.open / update / push / publish refuse. */
export function viewProblems(view: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(view)) return ['[ERROR] view must be an object [json-pointer:/view]'];
  if (view.type !== 'modal' && view.type !== 'home')
    problems.push('[ERROR] must be modal or home [json-pointer:/view/type]');
  if (view.type === 'modal') {
    checkText(problems, view.title, 24, '/view/title', true);
    if (view.submit !== undefined) checkText(problems, view.submit, 24, '/view/submit');
    if (view.close !== undefined) checkText(problems, view.close, 24, '/view/close');
  }
  const inputs = checkBlocks(problems, view.blocks, '/view/blocks', 100);
  if (inputs.length > 0 && view.type === 'modal' && view.submit === undefined) {
    problems.push('[ERROR] must define `submit` when `input` blocks are present [json-pointer:/view]');
  }
  for (const field of ['callback_id', 'external_id'] as const) {
    const value = view[field];
    if (typeof value === 'string' && value.length > 255) {
      problems.push(`[ERROR] must be less than 256 characters [json-pointer:/view/${field}]`);
    }
  }
  if (typeof view.private_metadata === 'string' && view.private_metadata.length > 3000) {
    problems.push('[ERROR] must be less than 3001 characters [json-pointer:/view/private_metadata]');
  }
  return problems;
}

/** What chat.postMessage / postEphemeral / response_url refuse. */
export function messageProblems(message: Json): string[] {
  const problems: string[] = [];
  const hasText = typeof message.text === 'string' && message.text.length > 0;
  if (!hasText && !Array.isArray(message.blocks) && !Array.isArray(message.attachments)) {
    problems.push('[ERROR] no_text: text, blocks or attachments is required [json-pointer:/text]');
  }
  if (message.blocks !== undefined) checkBlocks(problems, message.blocks, '/blocks', 50);
  return problems;
}
