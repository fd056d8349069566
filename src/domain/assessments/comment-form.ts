import { parseCallReference } from '../calls/call-reference.js';
import { parseOffset } from '../calls/offset.js';

export const COMMENT_MAX_LENGTH = 3000;
const ID_MAX_LENGTH = 255;
/** Whitespace and the zero-width characters that show nothing: a comment of only these is empty. */
const BLANK = /^[\s\u200B-\u200D\u2060\uFEFF]*$/u;
/** A lone UTF-16 surrogate has no UTF-8 form: it would reach Flex as U+FFFD, not as typed. */
const BROKEN_CHARACTER = /\p{Cs}/u;
/** NUL ends a string in C and cannot be stored in PostgreSQL text; nobody means to type one. */
const NUL = String.fromCharCode(0);

/** The fields of the comment form, as the person left them (null when empty or not asked). */
export interface CommentFormInput {
  categoryId: string | null;
  comment: string | null;
  /** Asked only when the call is not already known: a segment id or a call link. */
  segment: string | null;
  /** Asked only when the call's agent is not already known. */
  agentId: string | null;
  offset: string | null;
}

/** What the form was opened with: a call the link or command already named. */
export interface KnownCall {
  segmentId?: string | undefined;
  agentId?: string | undefined;
  offsetSeconds?: number | undefined;
}

export type CommentField = 'category' | 'comment' | 'segment' | 'agent' | 'offset';
export type FieldErrors = Partial<Record<CommentField, string>>;

export interface ValidCommentForm {
  categoryId: string;
  /** Exactly as typed: Flex receives what the reviewer wrote. */
  comment: string;
  segmentId: string;
  /** Undefined when neither the form nor the call named it: it then comes from Flex. */
  agentId: string | undefined;
  offsetSeconds: number;
  /** The link typed into the form, when the call came as one. */
  callUrl: string | undefined;
}

export function validateCommentForm(
  input: CommentFormInput,
  known: KnownCall,
  patterns: readonly RegExp[] = [],
): { ok: true; value: ValidCommentForm } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};

  const categoryId = input.categoryId?.trim() ?? '';
  if (categoryId === '') errors.category = 'Choose a category for this comment.';

  const comment = input.comment ?? '';
  if (BLANK.test(comment))
    errors.comment = 'Write the comment: it cannot be empty (spaces and invisible characters do not count).';
  else if (BROKEN_CHARACTER.test(comment)) {
    errors.comment =
      'The comment contains a broken character (half of an emoji, often from a paste) that Flex cannot store. Retype the last emoji or paste the text again.';
  } else if (comment.includes(NUL)) {
    errors.comment =
      'The comment contains an invisible NUL character (often from a paste out of another program) that cannot be stored. Type that part again or paste it as plain text.';
  } else if ([...comment].length > COMMENT_MAX_LENGTH) {
    errors.comment = `The comment is ${[...comment].length} characters long; Flex takes at most ${COMMENT_MAX_LENGTH}. Shorten it.`;
  }

  let segmentId = known.segmentId;
  let linkOffset: number | undefined;
  let callUrl: string | undefined;
  let agentFromLink: string | undefined;
  if (!segmentId) {
    const text = input.segment?.trim() ?? '';
    const call = text === '' ? undefined : parseCallReference(text, patterns);
    if (text === '') errors.segment = 'Enter the call’s segment id, or paste its Flex Insights link.';
    else if (!call) {
      errors.segment =
        'That is not a segment id (a UUID like 0105be7a-9b87-51f1-8df8-aa74ddb9c4a7) or a link that holds one.';
    } else {
      segmentId = call.segmentId;
      linkOffset = call.offsetSeconds;
      callUrl = call.url;
      agentFromLink = call.agentId;
    }
  }

  let agentId = known.agentId ?? agentFromLink;
  if (!agentId && input.agentId !== null) {
    const text = input.agentId.trim();
    if (text.length > ID_MAX_LENGTH || /\s/.test(text))
      errors.agent = 'An agent id is one word of at most 255 characters.';
    else if (text !== '') agentId = text;
  }

  let offsetSeconds = known.offsetSeconds ?? linkOffset ?? 0;
  if (input.offset !== null && input.offset.trim() !== '') {
    const parsed = parseOffset(input.offset);
    if (parsed.ok) offsetSeconds = parsed.seconds;
    else errors.offset = parsed.problem;
  }

  if (Object.keys(errors).length > 0 || !segmentId) return { ok: false, errors };
  return { ok: true, value: { categoryId, comment, segmentId, agentId, offsetSeconds, callUrl } };
}
