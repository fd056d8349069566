import { z } from 'zod';

/**
 * The parts of each Slack request that Bolt's routing and our listeners read without checking. A
 * request that lacks them did not come from Slack as documented; it is refused before any listener.
 */
const id = z.string().min(1).max(255);
const user = z.looseObject({ id });
const team = z.looseObject({ id }).nullish();

const blockActions = z.looseObject({
  type: z.literal('block_actions'),
  user,
  team,
  actions: z.array(z.looseObject({ action_id: id, block_id: z.string().optional(), type: z.string() })).min(1),
  channel: z.looseObject({ id }).optional(),
  container: z.looseObject({}).optional(),
  view: z
    .looseObject({ id, state: z.looseObject({ values: z.record(z.string(), z.unknown()) }).optional() })
    .optional(),
  response_url: z.string().optional(),
  trigger_id: z.string().optional(),
});

const view = z.looseObject({
  id,
  callback_id: z.string(),
  private_metadata: z.string().optional(),
  blocks: z.array(z.looseObject({ type: z.string() })),
  state: z.looseObject({ values: z.record(z.string(), z.record(z.string(), z.unknown())) }),
});

const viewSubmission = z.looseObject({
  type: z.enum(['view_submission', 'view_closed']),
  user,
  team,
  view,
});

const messageShortcut = z.looseObject({
  type: z.literal('message_action'),
  callback_id: z.string(),
  trigger_id: id,
  user,
  team,
  channel: z.looseObject({ id }),
  message: z.looseObject({ ts: id, thread_ts: z.string().optional() }),
  response_url: z.string().optional(),
});

const globalShortcut = z.looseObject({
  type: z.literal('shortcut'),
  callback_id: z.string(),
  trigger_id: id,
  user,
  team,
});

const blockSuggestion = z.looseObject({ type: z.literal('block_suggestion'), action_id: z.string(), user, team });

const eventCallback = z.looseObject({
  type: z.literal('event_callback'),
  team_id: z.string().optional(),
  event: z.looseObject({ type: z.string() }),
});

const command = z.looseObject({
  command: z.string().startsWith('/'),
  text: z.string(),
  user_id: id,
  team_id: id,
  channel_id: id,
  trigger_id: id,
  response_url: z.string(),
});

/** What a Slack request to /slack/events may be, checked before Bolt routes it. */
export const slackEnvelope = z.union([
  blockActions,
  viewSubmission,
  messageShortcut,
  globalShortcut,
  blockSuggestion,
  eventCallback,
  command,
]);

/** Each kind's own schema, by the `type` Slack gives it (a slash command has none). */
const schemaOfType: ReadonlyMap<string, z.ZodType> = new Map<string, z.ZodType>([
  ['block_actions', blockActions],
  ['view_submission', viewSubmission],
  ['view_closed', viewSubmission],
  ['message_action', messageShortcut],
  ['shortcut', globalShortcut],
  ['block_suggestion', blockSuggestion],
  ['event_callback', eventCallback],
]);

/**
 * Why a body is not a request this app takes, in a line for the log (no values: they may be anything).
 * Runs before every ack, so a body is checked against its own kind's schema only (the same answer as
 * `slackEnvelope`, without trying the six other kinds first).
 */
export function envelopeProblem(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the body is not a JSON object';
  const type = 'type' in body && typeof body.type === 'string' ? body.type : undefined;
  const schema =
    (type === undefined ? undefined : schemaOfType.get(type)) ?? ('command' in body ? command : slackEnvelope);
  const parsed = schema.safeParse(body);
  if (parsed.success) return undefined;
  const kind = 'command' in body ? `command ${String(body.command)}` : 'type' in body ? String(body.type) : 'no type';
  const issues = parsed.error.issues
    .flatMap((issue) => (issue.code === 'invalid_union' ? issue.errors.flat() : [issue]))
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`);
  return `a ${kind.slice(0, 40)} request without the fields Slack sends (${[...new Set(issues)].join('; ')})`;
}
