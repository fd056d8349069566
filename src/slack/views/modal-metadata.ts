import type { types } from '@slack/bolt';
import { z } from 'zod';
import { MAX_OFFSET_SECONDS } from '../../domain/calls/offset.js';
import { type MetadataSeal, SEAL_OVERHEAD } from '../../security/metadata-seal.js';
import { responseUrlAllowed } from '../notifications/response-url.js';

/** Slack's limit on a view's private_metadata. */
export const PRIVATE_METADATA_MAX = 3000;
/** What the JSON may take, leaving room for the seal. */
const JSON_MAX = PRIVATE_METADATA_MAX - SEAL_OVERHEAD;

// Every field is bounded, so that even metadata the app sealed itself cannot carry more than the flow needs.
const channelId = z.string().regex(/^[CDG][A-Z0-9]{2,20}$/);
const messageTs = z.string().regex(/^\d{10}\.\d{6}$/);
const shortText = z.string().max(200);
const id = z.string().min(1).max(255);
const offsetSeconds = z.number().finite().min(0).max(MAX_OFFSET_SECONDS);
const httpUrl = (max: number) =>
  z
    .string()
    .max(max)
    .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol));

const callContextSchema = z.object({
  agentName: shortText.nullable(),
  agentTeamName: shortText.nullable(),
  customerName: shortText.nullable(),
  queue: shortText.nullable(),
  date: shortText.nullable(),
});

const metadataSchema = z.object({
  v: z.literal(1),
  source: z.enum(['command', 'shortcut', 'unfurl']),
  channelId: channelId.optional(),
  /** Checked against SLACK_RESPONSE_URL_ORIGINS again when opened, and before every POST. */
  responseUrl: httpUrl(500).optional(),
  /** The message whose thread gets the confirmation. */
  thread: z.object({ channelId, messageTs, threadTs: messageTs }).optional(),
  segmentId: id.optional(),
  agentId: id.optional(),
  offsetSeconds: offsetSeconds.optional(),
  /** Shown as a link back to the call; Block Kit takes URLs of up to 3000 characters. */
  callUrl: httpUrl(2000).optional(),
  context: callContextSchema.optional(),
  /** The calls a message linked, while the reviewer chooses one. */
  calls: z
    .array(
      z.object({
        segmentId: id,
        offsetSeconds: offsetSeconds.optional(),
        agentId: id.optional(),
        url: httpUrl(2000).optional(),
      }),
    )
    .max(10)
    .optional(),
  /** The disputed feedback this comment revises (the Revise button): its text names the comment it revises. */
  revisesFeedbackId: z.uuid().optional(),
});

/** Everything the modal must remember between opening and submission: Slack sends none of it back. */
export type ModalMetadata = z.infer<typeof metadataSchema>;
export type ModalCallContext = z.infer<typeof callContextSchema>;

/** The metadata as JSON within what private_metadata can hold beside its seal. */
export function encodeModalMetadata(metadata: ModalMetadata): string {
  const text = JSON.stringify(metadata);
  if (text.length <= JSON_MAX) return text;
  // Only the display context and the call link are optional; drop them before anything the flow needs.
  const { context: _context, callUrl: _callUrl, ...essential } = metadata;
  return JSON.stringify(essential);
}

/** Reads metadata JSON, refusing anything out of bounds. */
export function decodeModalMetadata(text: string | undefined): ModalMetadata | undefined {
  if (!text || text.length > PRIVATE_METADATA_MAX) return undefined;
  try {
    const parsed = metadataSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Views leave the app with their private_metadata sealed, and what comes back is opened only when the seal
 * holds: a view submission is built by whoever sends it, so without the seal anyone could choose the
 * response_url the app POSTs to, the channel it replies in, the offset sent to Flex.
 */
export class ModalMetadataSeal {
  constructor(
    private readonly seal: MetadataSeal,
    private readonly responseUrlOrigins: readonly string[],
  ) {}

  /** The view with its private_metadata (as the builders wrote it) sealed. */
  sealView<V extends types.View>(view: V): V {
    if (view.private_metadata === undefined) return view;
    return { ...view, private_metadata: this.seal.seal(view.private_metadata) };
  }

  /** The text a view's private_metadata was sealed from, or undefined when missing or altered (any form's). */
  openText(privateMetadata: string | undefined): string | undefined {
    return privateMetadata ? this.seal.open(privateMetadata) : undefined;
  }

  /** Whether the app may POST to this response_url (SLACK_RESPONSE_URL_ORIGINS). */
  responseUrlAllowed(url: string): boolean {
    return responseUrlAllowed(url, this.responseUrlOrigins);
  }

  /** The metadata of a submitted view, or undefined when it is missing, altered or out of bounds. */
  open(privateMetadata: string | undefined): ModalMetadata | undefined {
    if (!privateMetadata) return undefined;
    const text = this.seal.open(privateMetadata);
    const metadata = text === undefined ? undefined : decodeModalMetadata(text);
    if (!metadata) return undefined;
    if (metadata.responseUrl && !responseUrlAllowed(metadata.responseUrl, this.responseUrlOrigins)) {
      const { responseUrl: _dropped, ...rest } = metadata;
      return rest;
    }
    return metadata;
  }
}
