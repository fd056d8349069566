import { UsageError } from './cli-support.js';

/**
 * Aligned columns whose last column is wrapped to fit `width` characters (a terminal's width), its
 * continuation lines indented under it, so nothing is cut: for long texts such as errors.
 */
export function tableWrappingLast(headers: string[], rows: string[][], width: number): string {
  const fixed = headers.length - 1;
  const widths = headers
    .slice(0, fixed)
    .map((header, i) => Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)));
  const indent = widths.reduce((sum, w) => sum + w + 2, 0);
  const lastWidth = Math.max(30, width - indent);
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i < fixed ? cell.padEnd(widths[i] ?? 0) : cell))
      .join('  ')
      .trimEnd();
  const out = [line(headers)];
  for (const row of rows) {
    const [first = '', ...more] = wrap(row[fixed] ?? '', lastWidth);
    out.push(line([...row.slice(0, fixed), first]));
    for (const continuation of more) out.push(`${' '.repeat(indent)}${continuation}`);
  }
  return out.join('\n');
}

/** Splits text into lines of at most `width` characters, at spaces where it can, cutting only words longer than a line. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    let rest = word;
    while (rest.length > width) {
      if (current) {
        lines.push(current);
        current = '';
      }
      lines.push(rest.slice(0, width));
      rest = rest.slice(width);
    }
    if (!current) current = rest;
    else if (current.length + 1 + rest.length <= width) current += ` ${rest}`;
    else {
      lines.push(current);
      current = rest;
    }
  }
  if (current || lines.length === 0) lines.push(current);
  return lines;
}

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `--since`: a time ago (30m, 2h, 7d, 1w) or a date or time (2026-12-06, 2026-12-06T04:00Z). */
export function parseSince(value: string, now: Date): Date {
  const text = value.trim();
  const ago = /^(\d+)\s*([smhdw])$/i.exec(text);
  if (ago?.[1] && ago[2]) return new Date(now.getTime() - Number(ago[1]) * (UNITS[ago[2].toLowerCase()] ?? 0));
  const date = /^\d{4}-\d{2}-\d{2}/.test(text) ? new Date(text) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) {
    throw new UsageError(
      `--since must be a time ago such as 30m, 2h, 7d or 1w, or a date or time such as 2026-12-06 or 2026-12-06T04:00Z (got "${text}").`,
    );
  }
  return date;
}

/**
 * How an admin writes an assessment: its id (a UUID), its Flex assessment SID (FM followed by 32 hex
 * digits), or the start of either. Twilio writes SIDs as two capitals and lower-case hex.
 */
export function normalizeAssessmentReference(value: string): string {
  const text = value.trim();
  if (text.length < 4) throw new UsageError('Give at least 4 characters of the assessment’s id or FM SID.');
  return /^fm/i.test(text) ? `FM${text.slice(2).toLowerCase()}` : text.toLowerCase();
}
