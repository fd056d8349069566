/**
 * What a person would see of the app's Block Kit and mrkdwn in Slack, as plain lines for a terminal:
 * every text whole, buttons as `[Label]`, every option of a select, dates (`<!date^…>`) as dates,
 * mentions as names. Formatting marks (`*bold*`, `_italic_`, emoji codes) are left as they are.
 */
import { isObject, type Json } from '../test/fakes/slack/wire.js';

/** Names the people and conversations a text mentions (undefined: shown as the id). */
export interface Names {
  user(id: string): string | undefined;
  channel(id: string): string | undefined;
}

export const NO_NAMES: Names = { user: () => undefined, channel: () => undefined };

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function ordinal(day: number): string {
  const teen = day % 100 >= 11 && day % 100 <= 13;
  const suffix = teen ? 'th' : (['th', 'st', 'nd', 'rd'][day % 10] ?? 'th');
  return `${day}${suffix}`;
}

/**
 * One `{token}` of Slack's date formatting, in UTC (Slack uses the reader's time zone; the sandbox has
 * none). Tokens as Slack documents them: https://api.slack.com/reference/surfaces/formatting#date-formatting
 */
function dateToken(token: string, date: Date, now: Date): string | undefined {
  const y = date.getUTCFullYear();
  const month = MONTHS[date.getUTCMonth()] ?? '';
  const day = date.getUTCDate();
  const dateText = `${month} ${ordinal(day)}, ${y}`;
  const short = `${month.slice(0, 3)} ${day}, ${y}`;
  const long = `${DAYS[date.getUTCDay()]}, ${dateText}`;
  const daysAway = Math.round(
    (Date.UTC(y, date.getUTCMonth(), day) - Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())) /
      86_400_000,
  );
  const pretty = (fallback: string) =>
    daysAway === 0 ? 'Today' : daysAway === -1 ? 'Yesterday' : daysAway === 1 ? 'Tomorrow' : fallback;
  const hours = date.getUTCHours();
  const clock = `${hours % 12 === 0 ? 12 : hours % 12}:${String(date.getUTCMinutes()).padStart(2, '0')}`;
  const half = hours < 12 ? 'AM' : 'PM';
  switch (token) {
    case 'date_num':
      return date.toISOString().slice(0, 10);
    case 'date':
      return dateText;
    case 'date_short':
      return short;
    case 'date_long':
      return long;
    case 'date_pretty':
      return pretty(dateText);
    case 'date_short_pretty':
      return pretty(short);
    case 'date_long_pretty':
      return pretty(long);
    case 'time':
      return `${clock} ${half} UTC`;
    case 'time_secs':
      return `${clock}:${String(date.getUTCSeconds()).padStart(2, '0')} ${half} UTC`;
    case 'ago': {
      const minutes = Math.round((now.getTime() - date.getTime()) / 60_000);
      if (Math.abs(minutes) < 1) return 'just now';
      if (Math.abs(minutes) < 60) return minutes > 0 ? `${minutes} minutes ago` : `in ${-minutes} minutes`;
      const hoursAgo = Math.round(minutes / 60);
      if (Math.abs(hoursAgo) < 24) return hoursAgo > 0 ? `${hoursAgo} hours ago` : `in ${-hoursAgo} hours`;
      return pretty(short);
    }
    default:
      return undefined;
  }
}

/** `<!date^1795511520^{date_short_pretty} {time}|fallback>` as Slack shows it; the fallback when unreadable. */
function renderDate(spec: string, fallback: string, now: Date): string {
  const [epoch = '', format = ''] = spec.split('^');
  const seconds = Number(epoch);
  if (!/^\d+$/.test(epoch) || !Number.isSafeInteger(seconds)) return fallback;
  const date = new Date(seconds * 1000);
  let unknown = false;
  const text = format.replace(/\{([a-z_]+)\}/g, (_whole, token: string) => {
    const value = dateToken(token, date, now);
    if (value === undefined) unknown = true;
    return value ?? '';
  });
  return unknown ? fallback : text;
}

/**
 * Slack's markup in a text, as the reader sees it: `<@U…>` → `@name`, `<#C…>` → `#name`, `<!here>`,
 * `<!date^…>`, `<url|label>` → `label (url)`, and `&lt; &gt; &amp;` unescaped.
 */
export function renderMrkdwn(text: string, names: Names = NO_NAMES, now = new Date()): string {
  const shown = text.replace(/<([^<>]*)>/g, (whole, inside: string) => {
    const [target = '', label] = splitLabel(inside);
    if (target.startsWith('@')) return `@${label ?? names.user(target.slice(1)) ?? target.slice(1)}`;
    if (target.startsWith('#')) return `#${label ?? names.channel(target.slice(1)) ?? target.slice(1)}`;
    if (target.startsWith('!date^')) return renderDate(target.slice('!date^'.length), label ?? '', now);
    if (target.startsWith('!subteam^')) return `@${label?.replace(/^@/, '') ?? target.slice('!subteam^'.length)}`;
    if (target.startsWith('!')) return `@${label ?? target.slice(1)}`;
    if (/^(https?|mailto):/.test(target)) return label && label !== target ? `${label} (${target})` : target;
    return whole;
  });
  return shown.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

function splitLabel(inside: string): [string, string | undefined] {
  const bar = inside.indexOf('|');
  return bar < 0 ? [inside, undefined] : [inside.slice(0, bar), inside.slice(bar + 1)];
}

const textOf = (value: unknown): string =>
  isObject(value) && typeof value.text === 'string' ? value.text : typeof value === 'string' ? value : '';

function optionsOf(element: Json): Json[] {
  const direct = Array.isArray(element.options) ? element.options.filter(isObject) : [];
  const grouped = Array.isArray(element.option_groups)
    ? element.option_groups.filter(isObject).flatMap((group) => (Array.isArray(group.options) ? group.options : []))
    : [];
  return [...direct, ...grouped.filter(isObject)];
}

/** An interactive element in one line: `[Retry]`, a select with every option, a text box with its value. */
export function renderElement(element: Json, names: Names = NO_NAMES, now = new Date()): string {
  const text = (value: unknown) => renderMrkdwn(textOf(value), names, now);
  const id = typeof element.action_id === 'string' ? ` (${element.action_id})` : '';
  switch (element.type) {
    case 'button': {
      const style = typeof element.style === 'string' ? ` ${element.style}` : '';
      const url = typeof element.url === 'string' ? ` → ${element.url}` : '';
      return `[${text(element.text)}]${style}${url}${id}`;
    }
    case 'static_select':
    case 'multi_static_select':
    case 'radio_buttons':
    case 'checkboxes': {
      const options = optionsOf(element).map((option) => text(option.text));
      const chosen = isObject(element.initial_option)
        ? ` = ${text(element.initial_option.text)}`
        : Array.isArray(element.initial_options)
          ? ` = ${element.initial_options.map((o) => text(isObject(o) ? o.text : '')).join(', ')}`
          : '';
      return `${String(element.type).replaceAll('_', ' ')}${id}${chosen}, one of: ${options.join(' | ')}`;
    }
    case 'external_select':
    case 'multi_external_select':
      return `${String(element.type).replaceAll('_', ' ')}${id}, options asked from the app as the person types`;
    case 'plain_text_input':
    case 'email_text_input':
    case 'url_text_input':
    case 'number_input': {
      const value =
        typeof element.initial_value === 'string' && element.initial_value !== '' ? element.initial_value : '';
      const placeholder = isObject(element.placeholder) ? ` (placeholder: ${text(element.placeholder)})` : '';
      return value ? `= ${JSON.stringify(value)}` : `(empty)${placeholder}`;
    }
    case 'overflow':
      return `⋮ menu${id}: ${optionsOf(element)
        .map((option) => text(option.text))
        .join(' | ')}`;
    case 'image':
      return `[image: ${typeof element.alt_text === 'string' ? element.alt_text : ''}]`;
    case 'mrkdwn':
    case 'plain_text':
      return text(element);
    default:
      return `${String(element.type)}${id}`;
  }
}

/** The words of a rich_text block, its links and mentions as the reader sees them. */
function richText(value: unknown, names: Names): string {
  if (Array.isArray(value)) return value.map((part) => richText(part, names)).join('');
  if (!isObject(value)) return '';
  switch (value.type) {
    case 'text':
      return typeof value.text === 'string' ? value.text : '';
    case 'link':
      return typeof value.text === 'string' ? `${value.text} (${String(value.url)})` : String(value.url);
    case 'user':
      return `@${names.user(String(value.user_id)) ?? String(value.user_id)}`;
    case 'channel':
      return `#${names.channel(String(value.channel_id)) ?? String(value.channel_id)}`;
    case 'emoji':
      return `:${String(value.name)}:`;
    default:
      return richText(value.elements, names) + (value.type === 'rich_text_section' ? '\n' : '');
  }
}

/** Every block, each as one or more lines (a text's own line breaks kept), in the order Slack shows them. */
export function renderBlocks(blocks: unknown, names: Names = NO_NAMES, now = new Date()): string[] {
  const lines: string[] = [];
  const text = (value: unknown) => renderMrkdwn(textOf(value), names, now);
  const element = (value: unknown) => (isObject(value) ? renderElement(value, names, now) : '');
  for (const block of Array.isArray(blocks) ? blocks.filter(isObject) : []) {
    switch (block.type) {
      case 'header':
        lines.push(`# ${text(block.text)}`);
        break;
      case 'divider':
        lines.push('────────');
        break;
      case 'section': {
        if (block.text !== undefined) lines.push(...text(block.text).split('\n'));
        if (Array.isArray(block.fields)) for (const field of block.fields) lines.push(...text(field).split('\n'));
        if (isObject(block.accessory)) lines.push(`  ${element(block.accessory)}`);
        break;
      }
      case 'context':
        if (Array.isArray(block.elements)) lines.push(...block.elements.map(element).join('  ').split('\n'));
        break;
      case 'actions':
        if (Array.isArray(block.elements)) lines.push(block.elements.map(element).join('  '));
        break;
      case 'input': {
        const optional = block.optional === true ? ' (optional)' : '';
        const hint = isObject(block.hint) ? `\n    hint: ${text(block.hint)}` : '';
        lines.push(
          `input ${String(block.block_id).padEnd(9)} ${JSON.stringify(text(block.label))}${optional} ${element(block.element)}${hint}`,
        );
        break;
      }
      case 'rich_text':
        lines.push(...richText(block.elements, names).replace(/\n$/, '').split('\n'));
        break;
      case 'image':
        lines.push(element(block));
        break;
      default:
        lines.push(`(${String(block.type)} block)`);
    }
  }
  return lines;
}

/** A message's blocks as Slack shows them, or its text when it has none. */
export function renderMessageBody(message: Json, names: Names = NO_NAMES, now = new Date()): string[] {
  if (Array.isArray(message.blocks) && message.blocks.length > 0) return renderBlocks(message.blocks, names, now);
  return typeof message.text === 'string' ? renderMrkdwn(message.text, names, now).split('\n') : [];
}
