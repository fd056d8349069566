import { z } from 'zod';
import { SEAL_OVERHEAD } from '../../security/metadata-seal.js';
import { PRIVATE_METADATA_MAX } from '../views/modal-metadata.js';

/** What the JSON may take, leaving room for the seal every view's private_metadata gets. */
const JSON_MAX = PRIVATE_METADATA_MAX - SEAL_OVERHEAD;

const contextSchema = z.object({
  agentName: z.string().nullable(),
  agentTeamName: z.string().nullable(),
  customerName: z.string().nullable(),
  queue: z.string().nullable(),
  date: z.string().nullable(),
});

const metadataSchema = z.object({
  v: z.literal(1),
  /** Where the form was opened from: the command, a message (shortcut) or a call's preview (unfurl). */
  source: z.enum(['command', 'shortcut', 'unfurl']).optional(),
  channelId: z.string().optional(),
  responseUrl: z.string().optional(),
  thread: z.object({ channelId: z.string(), messageTs: z.string(), threadTs: z.string() }).optional(),
  segmentId: z.string(),
  agentId: z.string().optional(),
  offsetSeconds: z.number().optional(),
  callUrl: z.string().optional(),
  context: contextSchema.optional(),
  /** Chosen questionnaire and the version the form was built from. */
  questionnaireSid: z.string().optional(),
  version: z.string().optional(),
  /** 0-based step shown. */
  step: z.number().int().min(0).optional(),
  /** Two base-36 digits per question: the index of the chosen answer among its choices, `--` unanswered. */
  answers: z
    .string()
    .regex(/^([0-9a-z]{2}|--)*$/)
    .optional(),
  /** Answers were filled in from the reviewer's earlier scorecard of this call. */
  rescore: z.boolean().optional(),
  /** The disputed feedback this scoring revises (the Revise button). */
  revisesFeedbackId: z.uuid().optional(),
  /** The last step's closing comment, carried while the reviewer goes Back, so that nothing typed is lost. */
  closing: z.object({ comment: z.string(), categoryId: z.string().nullable() }).optional(),
});

/** What the scoring form carries between its views: Slack sends none of it back otherwise. */
export type ScoreMetadata = z.infer<typeof metadataSchema>;

export function encodeScoreMetadata(metadata: ScoreMetadata): string {
  const text = JSON.stringify(metadata);
  if (text.length <= JSON_MAX) return text;
  // Only the call's display context and link may go; the answers and the call must stay.
  const { context: _context, callUrl: _callUrl, ...essential } = metadata;
  return JSON.stringify(essential);
}

/** Whether the metadata, as encodeScoreMetadata writes it, fits in a view beside its seal. */
export function scoreMetadataFits(metadata: ScoreMetadata): boolean {
  return encodeScoreMetadata(metadata).length <= JSON_MAX;
}

export function decodeScoreMetadata(text: string | undefined): ScoreMetadata | undefined {
  if (!text) return undefined;
  try {
    const parsed = metadataSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The chosen answers' indexes (undefined: unanswered), one per question. */
export function readAnswerIndexes(encoded: string | undefined, count: number): Array<number | undefined> {
  const indexes: Array<number | undefined> = [];
  for (let i = 0; i < count; i += 1) {
    const pair = encoded?.slice(i * 2, i * 2 + 2) ?? '';
    indexes.push(pair.length === 2 && pair !== '--' ? Number.parseInt(pair, 36) : undefined);
  }
  return indexes;
}

export function writeAnswerIndexes(indexes: ReadonlyArray<number | undefined>): string {
  return indexes.map((index) => (index === undefined ? '--' : index.toString(36).padStart(2, '0'))).join('');
}
