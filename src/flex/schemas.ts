import { z } from 'zod';
import type { CommentCategory, FlexComment, FlexSegment } from './types.js';

/*
 * Flex's JSON, read tolerantly: its numbers arrive as strings ("0.0", "1657329694199") and changed
 * type in 2025, any field may be null or missing, and fields we do not know are ignored. A field of
 * an unexpected type reads as null rather than failing the whole answer; the callers decide which
 * fields they cannot do without.
 */

const text = z
  .unknown()
  .optional()
  .transform((value): string | null =>
    typeof value === 'string' ? value : typeof value === 'number' && Number.isFinite(value) ? String(value) : null,
  );

const decimal = z
  .unknown()
  .optional()
  .transform((value): number | null => {
    if (typeof value === 'number') return Number.isFinite(value) ? value : null;
    if (typeof value !== 'string' || value.trim() === '') return null;
    const number = Number(value);
    return Number.isFinite(number) ? number : null;
  });

const flag = z
  .unknown()
  .optional()
  .transform((value): boolean | null => {
    if (typeof value === 'boolean') return value;
    if (value === 'true') return true;
    if (value === 'false') return false;
    return null;
  });

/** Epoch milliseconds as a number or a numeric string; an ISO date is read too, in case Flex changes again. */
const epochMillis = z
  .unknown()
  .optional()
  .transform((value): Date | null => {
    if (typeof value !== 'number' && typeof value !== 'string') return null;
    const millis = typeof value === 'number' || /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : Date.parse(value);
    return Number.isFinite(millis) && !Number.isNaN(new Date(millis).getTime()) ? new Date(millis) : null;
  });

const isoDate = z
  .unknown()
  .optional()
  .transform((value): Date | null => {
    if (typeof value !== 'string' || value.trim() === '') return null;
    const millis = Date.parse(value);
    return Number.isNaN(millis) ? null : new Date(millis);
  });

const commentObject = z
  .object({
    comment: text,
    category: z.object({ category_id: text, name: text }).loose().nullish().catch(null),
  })
  .loose();

/** `comment` is `{comment, category: {category_id, name}}` in practice, untyped in the spec. */
const commentBody = z
  .unknown()
  .optional()
  .transform((value): { text: string | null; categoryId: string | null; categoryName: string | null } => {
    if (typeof value === 'string') return { text: value, categoryId: null, categoryName: null };
    // Built once above: zod compiles a schema on first use, so one made per call costs every call.
    const parsed = commentObject.safeParse(value);
    if (!parsed.success) return { text: null, categoryId: null, categoryName: null };
    return {
      text: parsed.data.comment,
      categoryId: parsed.data.category?.category_id ?? null,
      categoryName: parsed.data.category?.name ?? null,
    };
  });

export const commentSchema = z
  .object({
    account_sid: text,
    assessment_sid: text,
    comment: commentBody,
    offset: decimal,
    report: flag,
    weight: decimal,
    agent_id: text,
    segment_id: text,
    user_name: text,
    user_email: text,
    timestamp: epochMillis,
    url: text,
  })
  .loose()
  .transform(
    (wire): FlexComment => ({
      assessmentSid: wire.assessment_sid || null,
      accountSid: wire.account_sid,
      text: wire.comment.text,
      categoryId: wire.comment.categoryId,
      categoryName: wire.comment.categoryName,
      offsetSeconds: wire.offset,
      agentId: wire.agent_id,
      segmentId: wire.segment_id,
      userName: wire.user_name,
      userEmail: wire.user_email,
      createdAt: wire.timestamp,
      weight: wire.weight,
      report: wire.report,
      url: wire.url,
    }),
  );

/** Twilio's paging envelope; without a readable next link there is no next page, as in twilio-node. */
const pageMeta = z
  .object({ next_page_url: text })
  .loose()
  .nullish()
  .catch(null)
  .transform((meta) => ({ nextPageUrl: meta?.next_page_url || null }));

export const commentPageSchema = z
  .object({ comments: z.array(commentSchema), meta: pageMeta })
  .loose()
  .transform((wire) => ({ items: wire.comments, nextPageUrl: wire.meta.nextPageUrl }));

const segmentSchema = z
  .object({
    segment_id: text,
    agent_id: text,
    agent_name: text,
    agent_team_name: text,
    customer_name: text,
    queue: text,
    date: isoDate,
    external_segment_link: text,
    segment_recording_offset: decimal,
  })
  .loose()
  .transform((wire): FlexSegment | null =>
    wire.segment_id
      ? {
          segmentId: wire.segment_id,
          agentId: wire.agent_id,
          agentName: wire.agent_name,
          agentTeamName: wire.agent_team_name,
          customerName: wire.customer_name,
          queue: wire.queue,
          date: wire.date,
          externalSegmentLink: wire.external_segment_link,
          recordingOffsetSeconds: wire.segment_recording_offset,
        }
      : null,
  );

export const segmentPageSchema = z
  .object({ segments: z.array(segmentSchema), meta: pageMeta })
  .loose()
  .transform((wire) => ({
    items: wire.segments.filter((segment) => segment !== null),
    nextPageUrl: wire.meta.nextPageUrl,
  }));

/**
 * Settings/CommentTags is one object, not a paged list; a tag without an id or a name is of no use and skipped.
 * Twilio's OpenAPI description declares `comments` nullable (flex.v1.insights_settings_comment): null and
 * missing both mean the account has no tags.
 */
export const commentTagsSchema = z
  .object({
    comments: z
      .array(z.object({ id: text, name: text, default: flag, sort: decimal }).loose())
      .nullish()
      .transform((tags) => tags ?? []),
  })
  .loose()
  .transform((wire) =>
    wire.comments.flatMap((tag, index): CommentCategory[] =>
      tag.id && tag.name
        ? [{ id: tag.id, name: tag.name, isDefault: tag.default ?? false, sort: tag.sort ?? index }]
        : [],
    ),
  );

/** Twilio's error body: `{code, message, more_info, status}`, sometimes with `detail`. */
export const twilioErrorSchema = z
  .object({ code: decimal, message: text, more_info: text, detail: text })
  .loose()
  .transform((wire) => ({
    twilioCode: wire.code === null ? undefined : wire.code,
    twilioMessage: wire.message || wire.detail || undefined,
    moreInfo: wire.more_info || undefined,
  }));

/** The tolerant readers of Flex's text and numbers, for the other Flex answers (questionnaires). */
export {
  decimal as flexDecimal,
  epochMillis as flexEpochMillis,
  flag as flexFlag,
  pageMeta as flexPageMeta,
  text as flexText,
};
