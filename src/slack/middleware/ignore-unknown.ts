import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';

/** The ids this app registered listeners for, by Slack surface. */
export interface KnownIds {
  commands: readonly string[];
  shortcuts: readonly string[];
  views: readonly string[];
  actions: readonly string[];
  events: readonly string[];
}

/**
 * Answers at once, and logs, what no listener of ours would take: a callback or action id this app never
 * wrote, a command it does not own. Without this Bolt leaves the request unanswered for 3 seconds.
 */
export function ignoreUnknownRequests(known: KnownIds): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const unknown = unknownPart(args.body, known);
    if (unknown === undefined) {
      await args.next();
      return;
    }
    const log = unknown.startsWith('event') ? args.logger.debug : args.logger.warn;
    log.call(args.logger, `Slack request ignored: ${unknown} has no listener in this app.`);
    if ('ack' in args && typeof args.ack === 'function') {
      // Every surface's ack takes no argument; a command's also takes an ephemeral reply.
      const ack = args.ack as (response?: { response_type: 'ephemeral'; text: string }) => Promise<void>;
      await (unknown.startsWith('command')
        ? ack({ response_type: 'ephemeral', text: 'This app does not know that command.' })
        : ack());
    }
  };
}

function unknownPart(body: AnyMiddlewareArgs['body'], known: KnownIds): string | undefined {
  const record = body as Record<string, unknown>;
  const text = (value: unknown) => String(value).slice(0, 80);
  if (typeof record.command === 'string') {
    return known.commands.includes(record.command) ? undefined : `command ${text(record.command)}`;
  }
  switch (record.type) {
    case 'message_action':
    case 'shortcut':
      return known.shortcuts.includes(String(record.callback_id)) ? undefined : `shortcut ${text(record.callback_id)}`;
    case 'view_submission':
    case 'view_closed': {
      const callbackId = (record.view as { callback_id?: unknown } | undefined)?.callback_id;
      return known.views.includes(String(callbackId)) ? undefined : `view ${text(callbackId)}`;
    }
    case 'block_actions': {
      const actions = Array.isArray(record.actions) ? (record.actions as Array<{ action_id?: unknown }>) : [];
      const strangers = actions.filter((action) => !known.actions.includes(String(action.action_id)));
      return strangers.length === actions.length
        ? `action ${strangers.map((action) => text(action.action_id)).join(', ')}`
        : undefined;
    }
    case 'block_suggestion':
      return `options request for ${text(record.action_id)}`;
    case 'event_callback': {
      const type = (record.event as { type?: unknown } | undefined)?.type;
      return known.events.includes(String(type)) ? undefined : `event ${text(type)}`;
    }
    default:
      return `request of type ${text(record.type)}`;
  }
}
