// Slack's mrkdwn as a Slack client shows it, as HTML: *bold*, _italic_, ~strike~, `code`, ```blocks```,
// > quotes, <url|links>, <@mentions>, <#channels>, <!here>, <!date^…> in the reader's time zone, and the
// emoji codes Slack apps commonly use. https://docs.slack.dev/messaging/formatting-message-text

const EMOJI = {
  white_check_mark: '✅',
  heavy_check_mark: '✔️',
  warning: '⚠️',
  x: '❌',
  memo: '📝',
  hourglass_flowing_sand: '⏳',
  hourglass: '⌛',
  arrows_counterclockwise: '🔄',
  wave: '👋',
  telephone_receiver: '📞',
  no_entry: '⛔',
  no_entry_sign: '🚫',
  star: '⭐',
  bar_chart: '📊',
  chart_with_upwards_trend: '📈',
  chart_with_downwards_trend: '📉',
  speech_balloon: '💬',
  bulb: '💡',
  tada: '🎉',
  thumbsup: '👍',
  '+1': '👍',
  thumbsdown: '👎',
  '-1': '👎',
  eyes: '👀',
  mag: '🔍',
  lock: '🔒',
  key: '🔑',
  link: '🔗',
  clipboard: '📋',
  calendar: '📅',
  date: '📅',
  bell: '🔔',
  information_source: 'ℹ️',
  question: '❓',
  exclamation: '❗',
  red_circle: '🔴',
  large_green_circle: '🟢',
  large_yellow_circle: '🟡',
  large_blue_circle: '🔵',
  white_circle: '⚪',
  arrow_right: '➡️',
  arrow_left: '⬅️',
  pencil: '📝',
  pencil2: '✏️',
  inbox_tray: '📥',
  outbox_tray: '📤',
  email: '📧',
  envelope: '✉️',
  headphones: '🎧',
  trophy: '🏆',
  sparkles: '✨',
  rotating_light: '🚨',
  robot_face: '🤖',
  busts_in_silhouette: '👥',
  bust_in_silhouette: '👤',
  mega: '📣',
  loudspeaker: '📢',
  scroll: '📜',
  hammer_and_wrench: '🛠️',
  gear: '⚙️',
  stopwatch: '⏱️',
  alarm_clock: '⏰',
  heavy_plus_sign: '➕',
  heavy_minus_sign: '➖',
  small_blue_diamond: '🔹',
  small_orange_diamond: '🔸',
};

export function escapeHtml(text) {
  return String(text)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/**
 * The emoji the app uses, drawn (Slack draws its own images too), so they show on machines without an
 * emoji font, such as the headless Chromium that takes the docs' screenshots. Others fall back to Unicode.
 */
const DRAWN = {
  white_check_mark:
    '<rect width="64" height="64" rx="12" fill="#43a047"/><path d="M15 33l11 11 23-25" stroke="#fff" stroke-width="8" fill="none" stroke-linecap="round" stroke-linejoin="round"/>',
  heavy_check_mark:
    '<path d="M10 34l14 14 30-32" stroke="#333" stroke-width="10" fill="none" stroke-linecap="round" stroke-linejoin="round"/>',
  warning:
    '<path d="M32 5l29 53H3z" fill="#ffc107" stroke="#f29900" stroke-width="3" stroke-linejoin="round"/><rect x="28" y="22" width="8" height="21" rx="3" fill="#333"/><circle cx="32" cy="50" r="4.5" fill="#333"/>',
  x: '<path d="M14 14l36 36M50 14L14 50" stroke="#e53935" stroke-width="11" stroke-linecap="round"/>',
  hourglass_flowing_sand:
    '<rect x="12" y="4" width="40" height="6" rx="2" fill="#8d6e63"/><rect x="12" y="54" width="40" height="6" rx="2" fill="#8d6e63"/><path d="M17 10h30c0 14-11 17-11 22s11 8 11 22H17c0-14 11-17 11-22S17 24 17 10z" fill="#e3f2fd" stroke="#90a4ae" stroke-width="2"/><path d="M23 52h18l-9-11z" fill="#ffb300"/><path d="M24 17h16l-8 9z" fill="#ffb300"/>',
  arrows_counterclockwise:
    '<rect width="64" height="64" rx="12" fill="#1e88e5"/><path d="M46 27a15 15 0 0 0-27-5M18 37a15 15 0 0 0 27 5" stroke="#fff" stroke-width="6" fill="none" stroke-linecap="round"/><path d="M13 12v14h14zM51 52V38H37z" fill="#fff"/>',
  telephone_receiver:
    '<path d="M14 8c-6 4-9 10-6 18 5 13 17 25 30 30 8 3 14 0 18-6l-10-10-8 5c-7-3-13-9-16-16l5-8z" fill="#d32f2f"/>',
  no_entry:
    '<circle cx="32" cy="32" r="30" fill="#e53935"/><rect x="12" y="26" width="40" height="12" rx="3" fill="#fff"/>',
  no_entry_sign:
    '<circle cx="32" cy="32" r="26" fill="none" stroke="#e53935" stroke-width="8"/><path d="M14 14l36 36" stroke="#e53935" stroke-width="8"/>',
  memo: '<rect x="10" y="4" width="42" height="56" rx="4" fill="#fff" stroke="#90a4ae" stroke-width="3"/><path d="M18 18h26M18 28h26M18 38h16" stroke="#90a4ae" stroke-width="4" stroke-linecap="round"/><path d="M38 54l4-13 15-15 6 6-15 15z" fill="#ffb300" stroke="#e69100" stroke-width="2"/>',
};

/** An inline SVG as an <img> (safe: the SVG is ours, never the app's). */
export function svgImage(inner, className, alt) {
  const src = `data:image/svg+xml,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">${inner}</svg>`)}`;
  return `<img class="${className}" alt="${alt}" src="${src}">`;
}

/** `:white_check_mark:` → ✅ (codes it does not know stay as they are, as in Slack without the emoji). */
export function emojify(escaped) {
  return escaped.replace(/:([a-z0-9_+-]+):/g, (whole, name) =>
    DRAWN[name] ? svgImage(DRAWN[name], 'emoji', `:${name}:`) : (EMOJI[name] ?? whole),
  );
}

/** Slack's plain_text, with `emoji: true` codes shown as emoji. */
export function renderPlain(text, emoji = true) {
  const escaped = escapeHtml(text ?? '');
  return emoji ? emojify(escaped) : escaped;
}

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

function ordinal(day) {
  const teen = day % 100 >= 11 && day % 100 <= 13;
  return `${day}${teen ? 'th' : (['th', 'st', 'nd', 'rd'][day % 10] ?? 'th')}`;
}

/** One `{token}` of Slack's date formatting, in the reader's time zone, as Slack does. */
function dateToken(token, date, now) {
  const y = date.getFullYear();
  const month = MONTHS[date.getMonth()];
  const day = date.getDate();
  const dateText = `${month} ${ordinal(day)}, ${y}`;
  const short = `${month.slice(0, 3)} ${day}, ${y}`;
  const long = `${DAYS[date.getDay()]}, ${dateText}`;
  const startOf = (d) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const daysAway = Math.round((startOf(date) - startOf(now)) / 86_400_000);
  const pretty = (fallback) =>
    daysAway === 0 ? 'Today' : daysAway === -1 ? 'Yesterday' : daysAway === 1 ? 'Tomorrow' : fallback;
  const hours = date.getHours();
  const clock = `${hours % 12 === 0 ? 12 : hours % 12}:${String(date.getMinutes()).padStart(2, '0')}`;
  const half = hours < 12 ? 'AM' : 'PM';
  switch (token) {
    case 'date_num':
      return `${y}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
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
      return `${clock} ${half}`;
    case 'time_secs':
      return `${clock}:${String(date.getSeconds()).padStart(2, '0')} ${half}`;
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

/** `<!date^1795511520^{date_short_pretty} at {time}^optional_link|fallback>`; the fallback when unreadable. */
export function renderDate(spec, fallback, now = new Date()) {
  const [epoch = '', format = ''] = spec.split('^');
  if (!/^\d+$/.test(epoch)) return fallback;
  const date = new Date(Number(epoch) * 1000);
  let unknown = false;
  const text = format.replace(/\{([a-z_]+)\}/g, (_whole, token) => {
    const value = dateToken(token, date, now);
    if (value === undefined) unknown = true;
    return value ?? '';
  });
  return unknown ? fallback : text;
}

const decode = (text) => text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');

/**
 * mrkdwn → HTML. `names` gives `user(id)` and `channel(id)` their names. Markup in `<…>` is taken out
 * first (so a link's text is not formatted twice), then the rest is escaped and formatted.
 */
export function renderMrkdwn(text, names, now = new Date()) {
  const tokens = [];
  const hold = (html) => {
    tokens.push(html);
    return `\uE000${tokens.length - 1}\uE000`;
  };
  // Code first: nothing inside it is formatted.
  let source = String(text ?? '').replace(/```([\s\S]*?)```/g, (_w, code) =>
    hold(`<pre class="code-block">${escapeHtml(decode(code.replace(/^\n/, '')))}</pre>`),
  );
  source = source.replace(/`([^`\n]+)`/g, (_w, code) => hold(`<code>${escapeHtml(decode(code))}</code>`));
  source = source.replace(/<([^<>\n]+)>/g, (whole, inside) => {
    const bar = inside.indexOf('|');
    const target = bar < 0 ? inside : inside.slice(0, bar);
    const label = bar < 0 ? undefined : decode(inside.slice(bar + 1));
    if (target.startsWith('@')) {
      const name = label ?? names.user(target.slice(1)) ?? target.slice(1);
      return hold(`<span class="mention">@${escapeHtml(name.replace(/^@/, ''))}</span>`);
    }
    if (target.startsWith('#')) {
      const name = label ?? names.channel(target.slice(1)) ?? target.slice(1);
      return hold(`<span class="mention">#${escapeHtml(name)}</span>`);
    }
    if (target.startsWith('!date^')) return hold(escapeHtml(renderDate(target.slice(6), label ?? '', now)));
    if (target.startsWith('!subteam^')) {
      return hold(`<span class="mention">@${escapeHtml((label ?? target.slice(9)).replace(/^@/, ''))}</span>`);
    }
    if (target.startsWith('!')) return hold(`<span class="mention">@${escapeHtml(label ?? target.slice(1))}</span>`);
    if (/^(https?|mailto):/.test(target)) {
      const href = decode(target);
      return hold(
        `<a href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">${escapeHtml(label ?? href)}</a>`,
      );
    }
    return whole;
  });
  const lines = decode(source).split('\n');
  const html = [];
  let quote = [];
  const flush = () => {
    if (quote.length > 0) html.push(`<blockquote>${quote.join('<br>')}</blockquote>`);
    quote = [];
  };
  for (const line of lines) {
    const quoted = /^>\s?(.*)$/.exec(line);
    if (quoted) {
      quote.push(formatLine(quoted[1]));
    } else {
      flush();
      html.push(`${formatLine(line)}<br>`);
    }
  }
  flush();
  const joined = html.join('').replace(/<br>$/, '');
  return joined.replace(/\uE000(\d+)\uE000/g, (_w, index) => tokens[Number(index)]);
}

/** One line: escaped, then *bold*, _italic_, ~strike~ (each must open and close at word edges), emoji. */
function formatLine(line) {
  let out = escapeHtml(line);
  out = out.replace(/(^|[^\w*])\*(?=\S)([^*]*?\S)\*(?!\w)/g, '$1<b>$2</b>');
  out = out.replace(/(^|[^\w_])_(?=\S)([^_]*?\S)_(?!\w)/g, '$1<i>$2</i>');
  out = out.replace(/(^|[^\w~])~(?=\S)([^~]*?\S)~(?!\w)/g, '$1<s>$2</s>');
  return emojify(out);
}
