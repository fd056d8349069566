import { z } from 'zod';

/** Slack's limit on a view's private_metadata. */
export const PRIVATE_METADATA_MAX = 3000;

const callContextSchema = z.object({
  agentName: z.string().nullable(),
  agentTeamName: z.string().nullable(),
  customerName: z.string().nullable(),
  queue: z.string().nullable(),
  date: z.string().nullable(),
});

const metadataSchema = z.object({
  v: z.literal(1),
  source: z.enum(['command', 'shortcut', 'unfurl']),
  channelId: z.string().optional(),
  responseUrl: z.string().optional(),
  /** The message whose thread gets the confirmation. */
  thread: z.object({ channelId: z.string(), messageTs: z.string(), threadTs: z.string() }).optional(),
  segmentId: z.string().optional(),
  agentId: z.string().optional(),
  offsetSeconds: z.number().optional(),
  callUrl: z.string().optional(),
  context: callContextSchema.optional(),
  /** The calls a message linked, while the reviewer chooses one. */
  calls: z
    .array(
      z.object({
        segmentId: z.string(),
        offsetSeconds: z.number().optional(),
        agentId: z.string().optional(),
        url: z.string().optional(),
      }),
    )
    .optional(),
});

/** Everything the modal must remember between opening and submission: Slack sends none of it back. */
export type ModalMetadata = z.infer<typeof metadataSchema>;
export type ModalCallContext = z.infer<typeof callContextSchema>;

export function encodeModalMetadata(metadata: ModalMetadata): string {
  const text = JSON.stringify(metadata);
  if (text.length <= PRIVATE_METADATA_MAX) return text;
  // Only the display context and the call link are optional; drop them before anything the flow needs.
  const { context: _context, callUrl: _callUrl, ...essential } = metadata;
  return JSON.stringify(essential);
}

export function decodeModalMetadata(text: string | undefined): ModalMetadata | undefined {
  if (!text) return undefined;
  try {
    const parsed = metadataSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
