import { FLEX_PUBLIC_BASE, newSid } from './twilio-wire.js';

export const SEGMENTS_PATH = '/v1/Insights/Segments';
export const COMMENT_TAGS_PATH = '/v1/Insights/QualityManagement/Settings/CommentTags';

/** A segment (one agent's part of a call) as a test adds it, in Flex's snake_case. */
export interface FakeSegment {
  segment_id: string;
  agent_id: string;
  agent_name?: string | null;
  agent_team_name?: string | null;
  agent_phone?: string | null;
  customer_name?: string | null;
  customer_phone?: string | null;
  queue?: string | null;
  /** ISO 8601, e.g. 2022-02-08T08:00:00Z. */
  date?: string | null;
  external_id?: string | null;
  external_segment_link?: string | null;
  /** Seconds, as a string like Flex sends it. */
  segment_recording_offset?: string | null;
  media?: unknown;
}

/** Every field Flex documents for a segment, nulls where the test gave nothing. */
export function segmentJson(segment: FakeSegment, accountId: string): Record<string, unknown> {
  return {
    segment_id: segment.segment_id,
    external_id: segment.external_id ?? newSid('EV'),
    queue: segment.queue ?? null,
    external_contact: null,
    external_segment_link_id: null,
    date: segment.date ?? null,
    account_id: accountId,
    external_segment_link: segment.external_segment_link ?? null,
    agent_id: segment.agent_id,
    agent_phone: segment.agent_phone ?? null,
    agent_name: segment.agent_name ?? null,
    agent_team_name: segment.agent_team_name ?? null,
    agent_team_name_in_hierarchy: segment.agent_team_name ?? null,
    agent_link: null,
    customer_phone: segment.customer_phone ?? null,
    customer_name: segment.customer_name ?? null,
    customer_link: null,
    segment_recording_offset: segment.segment_recording_offset ?? '0.0',
    media: segment.media ?? null,
    assessment_type: [null],
    assessment_percentage: [null],
    url: `${FLEX_PUBLIC_BASE}${SEGMENTS_PATH}/${segment.segment_id}`,
  };
}
