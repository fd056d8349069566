import type { FlexIdentity } from './credentials.js';
import { type FakeAnswer, FLEX_PUBLIC_BASE, newSid, pythonFloat, twilioError } from './twilio-wire.js';

export const COMMENTS_PATH = '/v1/Insights/QualityManagement/Assessments/Comments';

/** A comment Flex holds, in Flex's own JSON shape (numbers as strings, as Flex sends them). */
export interface StoredComment {
  account_sid: string;
  assessment_sid: string;
  comment: { comment: string; category: { category_id: string; name: string } };
  offset: string;
  report: boolean;
  weight: string;
  agent_id: string;
  segment_id: string;
  user_name: string | null;
  user_email: string | null;
  timestamp: string;
  url: string;
}

/** A comment category ("comment tag") as a test configures it. */
export interface CommentTag {
  id: string;
  name: string;
  default?: boolean;
  sort?: number;
}

const REQUIRED = ['CategoryId', 'CategoryName', 'Comment', 'SegmentId', 'AgentId', 'Offset'] as const;
// A decimal as any client would write one: twilio-node's String(n) ("1e-7"), or the spec's "-0.0300".
const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * Validates a create request as Flex does and builds the comment it would store. Checked against
 * Twilio's OpenAPI description (test/contracts/twilio/flex-v1.json, CreateInsightsAssessmentsComment):
 * the content type, the six required parameters and a numeric Offset are the spec's own rules. Stricter
 * than the spec, and kept because each models something real:
 * - an empty required parameter counts as missing, as Twilio's API validation treats `Comment=`;
 * - once a test sets comment tags, a CategoryId that is not one of them is refused. The spec types it as
 *   any string and Twilio does not document the answer; this models a tag deleted in Flex since the
 *   app's last sync (the app only ever sends ids of CommentTags), so a test can make Flex refuse a
 *   comment's details. Without tags set, any CategoryId is taken, as the spec allows.
 */
export function commentFromRequest(
  request: { headers: { 'content-type'?: string | undefined }; rawBody: string },
  context: { accountSid: string; identity: FlexIdentity; tags: readonly CommentTag[] },
): { comment: StoredComment } | { rejection: FakeAnswer } {
  const contentType = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (contentType !== 'application/x-www-form-urlencoded') {
    return { rejection: twilioError(400, 20001, 'Content-Type must be application/x-www-form-urlencoded') };
  }
  const form = new URLSearchParams(request.rawBody);
  for (const name of REQUIRED) {
    if (!form.get(name)) {
      return { rejection: twilioError(400, 20001, `Missing required parameter ${name} in the post body`) };
    }
  }
  const offsetText = form.get('Offset') ?? '';
  const offset = Number(offsetText);
  if (!DECIMAL.test(offsetText) || !Number.isFinite(offset)) {
    return { rejection: twilioError(400, 20001, `Invalid parameter Offset: ${offsetText} is not a number`) };
  }
  const categoryId = form.get('CategoryId') ?? '';
  if (context.tags.length > 0 && !context.tags.some((tag) => tag.id === categoryId)) {
    return { rejection: twilioError(400, 20001, `Invalid parameter CategoryId: no comment tag ${categoryId}`) };
  }
  const sid = newSid('FM');
  return {
    comment: {
      account_sid: context.accountSid,
      assessment_sid: sid,
      comment: {
        comment: form.get('Comment') ?? '',
        category: { category_id: categoryId, name: form.get('CategoryName') ?? '' },
      },
      offset: pythonFloat(offset),
      report: true,
      weight: '1',
      agent_id: form.get('AgentId') ?? '',
      segment_id: form.get('SegmentId') ?? '',
      user_name: context.identity.name,
      user_email: context.identity.email,
      timestamp: String(Date.now()),
      url: `${FLEX_PUBLIC_BASE}${COMMENTS_PATH}/${sid}`,
    },
  };
}

/**
 * The comments a list request's SegmentId and AgentId filters select: the two filters
 * ListInsightsAssessmentsComment declares (test/contracts/twilio/flex-v1.json), both optional, applied
 * together. Its paging (PageSize, Page, PageToken, meta.next_page_url) is pageOf's, in paging.ts.
 */
export function matchingComments(comments: readonly StoredComment[], query: URLSearchParams): StoredComment[] {
  const segmentId = query.get('SegmentId');
  const agentId = query.get('AgentId');
  return comments.filter(
    (comment) => (!segmentId || comment.segment_id === segmentId) && (!agentId || comment.agent_id === agentId),
  );
}
