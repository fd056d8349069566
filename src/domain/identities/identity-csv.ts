import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { emailField, hasControlCharacters, nameField } from './person-fields.js';

/** The largest import file: about 100,000 people of ordinary length. */
export const CSV_MAX_BYTES = 10 * 1024 * 1024;
/** The longest row: five fields well within their own limits, with room for quoting. */
const CSV_MAX_RECORD_CHARACTERS = 4096;

export const CSV_COLUMNS = ['email', 'name', 'slack_user_id', 'agent_id', 'role'] as const;
const REQUIRED_COLUMNS = ['email', 'name'] as const;

const rowSchema = z.object({
  email: emailField('email'),
  name: nameField('name'),
  slack_user_id: z
    .string()
    .trim()
    .transform((value) => (value === '' ? undefined : value.toUpperCase()))
    .pipe(
      z
        .string()
        .regex(/^[UW][A-Z0-9]{2,}$/, 'slack_user_id must look like U0123ABCD (Slack profile → ⋮ → Copy member ID)')
        .optional(),
    )
    .optional(),
  agent_id: z
    .string()
    .trim()
    .transform((value) => (value === '' ? undefined : value))
    .pipe(
      z
        .string()
        .max(255, 'agent_id is longer than 255 characters')
        .refine((value) => !hasControlCharacters(value), 'agent_id holds control characters')
        .optional(),
    )
    .optional(),
  role: z
    .string()
    .trim()
    .toLowerCase()
    .transform((value) => (value === '' ? 'reviewer' : value))
    .pipe(z.enum(['reviewer', 'admin', 'none'], { error: 'role must be reviewer, admin or none' }))
    .optional(),
});

export interface IdentityRow {
  line: number;
  email: string;
  name: string;
  slackUserId: string | undefined;
  agentId: string | undefined;
  role: 'reviewer' | 'admin' | 'none';
}

export interface RejectedRow {
  line: number;
  email?: string;
  problems: string[];
}

export class IdentityCsvError extends Error {
  readonly code = 'identity_csv_invalid';
}

/** Reads an identities CSV (header `email,name` plus optional `slack_user_id,agent_id,role`); pure. */
export function parseIdentityCsv(text: string): { rows: IdentityRow[]; rejected: RejectedRow[] } {
  let records: string[][];
  try {
    records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: false,
      max_record_size: CSV_MAX_RECORD_CHARACTERS,
    });
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'CSV_MAX_RECORD_SIZE') {
      const line = 'lines' in error && typeof error.lines === 'number' ? ` (line ${error.lines})` : '';
      throw new IdentityCsvError(
        `A row of the file${line} is longer than ${CSV_MAX_RECORD_CHARACTERS} characters: no row of email, name, slack_user_id, agent_id and role is that long. Check the file (an unclosed quote makes the rest of the file one field), fix it and import it again.`,
      );
    }
    // csv-parse's messages quote no field, only where the trouble is.
    throw new IdentityCsvError(
      `The file is not valid CSV: ${(error instanceof Error ? error.message : String(error)).slice(0, 300)}`,
    );
  }
  const [header, ...body] = records;
  if (!header) throw new IdentityCsvError('The file is empty: it needs a header row of email,name.');
  const columns = header.map((name) => name.trim().toLowerCase());
  const unknown = columns.filter((name) => !(CSV_COLUMNS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new IdentityCsvError(`Unknown column(s) ${unknown.join(', ')}. Allowed: ${CSV_COLUMNS.join(', ')}.`);
  }
  const missing = REQUIRED_COLUMNS.filter((name) => !columns.includes(name));
  if (missing.length > 0) throw new IdentityCsvError(`The header needs the column(s) ${missing.join(', ')}.`);

  const rows: IdentityRow[] = [];
  const rejected: RejectedRow[] = [];
  const seen = new Map<string, number>();
  body.forEach((record, index) => {
    const line = index + 2;
    const raw = Object.fromEntries(columns.map((name, i) => [name, record[i] ?? '']));
    const parsed = rowSchema.safeParse(raw);
    if (!parsed.success) {
      const email = typeof raw.email === 'string' && raw.email.trim() !== '' ? raw.email.trim() : undefined;
      rejected.push({ line, ...(email ? { email } : {}), problems: parsed.error.issues.map((issue) => issue.message) });
      return;
    }
    const row = parsed.data;
    const earlier = seen.get(row.email);
    if (earlier !== undefined) {
      rejected.push({ line, email: row.email, problems: [`${row.email} already appears on line ${earlier}`] });
      return;
    }
    seen.set(row.email, line);
    rows.push({
      line,
      email: row.email,
      name: row.name,
      slackUserId: row.slack_user_id,
      agentId: row.agent_id,
      role: row.role ?? 'reviewer',
    });
  });
  return { rows, rejected };
}
