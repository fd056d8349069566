import { z } from 'zod';

/** Flex sends numbers as strings ("0.0", "1657329694199") and any field may be null or missing. */
const looseNumber = z
  .union([z.number(), z.string(), z.null()])
  .optional()
  .transform((value) => {
    if (value === null || value === undefined || value === '') return null;
    const number = typeof value === 'number' ? value : Number(value);
    return Number.isFinite(number) ? number : null;
  });
const looseString = z
  .union([z.string(), z.number(), z.null()])
  .optional()
  .transform((value) => (value === null || value === undefined ? null : String(value)));
const looseBoolean = z
  .union([z.boolean(), z.string(), z.null()])
  .optional()
  .transform((value) =>
    typeof value === 'boolean' ? value : value === 'true' ? true : value === 'false' ? false : null,
  );

const commentBody = z
  .union([
    z
      .object({
        comment: looseString,
        category: z.object({ category_id: looseString, name: looseString }).loose().nullish(),
      })
      .loose(),
    z.string(),
    z.null(),
  ])
  .optional();

export const commentSchema = z
  .object({
    account_sid: looseString,
    assessment_sid: looseString,
    comment: commentBody,
    offset: looseNumber,
    report: looseBoolean,
    weight: looseNumber,
    agent_id: looseString,
    segment_id: looseString,
    user_name: looseString,
    user_email: looseString,
    timestamp: looseNumber,
    url: looseString,
  })
  .loose();

export type CommentPayload = z.infer<typeof commentSchema>;

const pageMeta = z.object({ next_page_url: looseString }).loose().nullish();

export const commentPageSchema = z.object({ comments: z.array(commentSchema), meta: pageMeta }).loose();

export const segmentSchema = z
  .object({
    segment_id: z.string(),
    agent_id: looseString,
    agent_name: looseString,
    agent_team_name: looseString,
    customer_name: looseString,
    queue: looseString,
    date: looseString,
    external_segment_link: looseString,
    segment_recording_offset: looseNumber,
  })
  .loose();

export const segmentPageSchema = z.object({ segments: z.array(segmentSchema), meta: pageMeta }).loose();

export const commentTagsSchema = z
  .object({
    comments: z.array(
      z
        .object({
          id: z.string(),
          name: z.string(),
          default: looseBoolean,
          sort: looseNumber,
        })
        .loose(),
    ),
  })
  .loose();

export const twilioErrorSchema = z
  .object({
    code: looseNumber,
    message: looseString,
    more_info: looseString,
    detail: looseString,
  })
  .loose();
