import { z } from 'zod';

/**
 * The one place that says what an email address and a person's name may be, wherever they come in: the
 * admin CLI (`identities add`, CSV imports), `/qm link`, and Flex workers read by the identity sync.
 */

/** RFC 5321's limit on a forward path (a whole address), in characters. */
export const EMAIL_MAX_LENGTH = 254;
export const NAME_MAX_LENGTH = 200;

/**
 * An address as mail systems and Slack profiles use them: letters, digits and `._'+-` before the `@`, a
 * dotted domain after it (zod's email pattern, which refuses what the RFCs allow but no one uses: quoted
 * local parts, comments, IP literals). So `<`, `>`, `|`, spaces and control characters, which Slack would
 * read as markup (`<https://evil.example|click>@x.co` becomes a live link), never get into an email.
 */
const emailPattern = z.email();

/** C0 and C1 control characters and DEL (ESC, BEL, CR, LF, TAB…), and Unicode's line and paragraph separators. */
const CONTROL = /[\p{Cc}\p{Zl}\p{Zp}]/u;
const CONTROL_ALL = /[\p{Cc}\p{Zl}\p{Zp}]+/gu;

export type FieldCheck = { ok: true; value: string } | { ok: false; problem: string };

/** The address trimmed and lower-cased, or why it is not one (a phrase to follow the field's name). */
export function checkEmail(raw: string): FieldCheck {
  const email = raw.trim().toLowerCase();
  if (email === '') return { ok: false, problem: 'is empty' };
  if (email.length > EMAIL_MAX_LENGTH) {
    return { ok: false, problem: `is longer than ${EMAIL_MAX_LENGTH} characters` };
  }
  if (!emailPattern.safeParse(email).success) {
    return { ok: false, problem: 'is not an email address' };
  }
  return { ok: true, value: email };
}

/** A name typed by an admin: trimmed; refused when empty, too long, or holding control characters. */
export function checkName(raw: string): FieldCheck {
  const name = raw.trim();
  if (name === '') return { ok: false, problem: 'is empty' };
  if (CONTROL.test(name)) {
    return { ok: false, problem: 'holds control characters (line breaks, tabs, escape sequences); remove them' };
  }
  if ([...name].length > NAME_MAX_LENGTH) {
    return { ok: false, problem: `is longer than ${NAME_MAX_LENGTH} characters` };
  }
  return { ok: true, value: name };
}

/**
 * A name from another system (a Flex worker's full_name): control characters become spaces and it is cut
 * to length, since the person exists whatever their name holds.
 */
export function cleanName(raw: string): string {
  const cleaned = raw
    .replace(CONTROL_ALL, ' ')
    .replace(/\s{2,}/g, ' ')
    .trim();
  return [...cleaned].slice(0, NAME_MAX_LENGTH).join('');
}

/** Whether text holds a control character. */
export function hasControlCharacters(text: string): boolean {
  return CONTROL.test(text);
}

/** The same checks as zod schemas, for edges that parse with zod (CSV rows, TaskRouter attributes). */
export const emailField = (what = 'email') =>
  z.string().transform((value, ctx) => {
    const checked = checkEmail(value);
    if (checked.ok) return checked.value;
    ctx.addIssue({ code: 'custom', message: `${what} ${checked.problem}` });
    return z.NEVER;
  });

export const nameField = (what = 'name') =>
  z.string().transform((value, ctx) => {
    const checked = checkName(value);
    if (checked.ok) return checked.value;
    ctx.addIssue({ code: 'custom', message: `${what} ${checked.problem}` });
    return z.NEVER;
  });
