import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';

/** The ids this app registered listeners for, by Slack surface. */
export interface KnownIds {
  commands: readonly string[];
  shortcuts: readonly string[];
  views: readonly string[];
  actions: readonly string[];
  events: readonly string[];
  /**
   * Views whose closing the app listens to (none today: no view sets notify_on_close). Slack may still send
   * `view_closed` for any of its views; those are answered at once and otherwise ignored.
   */
  closedViews?: readonly string[];
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
    // Events Slack may send to any app, and closings of the app's own views, are routine: a debug line.
    // An id this app never wrote means a manifest out of step with the app: a warning.
    const routine = unknown.startsWith('event') || unknown.startsWith('closing');
    const log = routine ? args.logger.debug : args.logger.warn;
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
    case 'view_submission': {
      const callbackId = (record.view as { callback_id?: unknown } | undefined)?.callback_id;
      return known.views.includes(String(callbackId)) ? undefined : `view ${text(callbackId)}`;
    }
    case 'view_closed': {
      // Bolt's app.view(id) takes only submissions: a closing would wait 3 s for a listener and get a 404.
      const callbackId = (record.view as { callback_id?: unknown } | undefined)?.callback_id;
      if (known.closedViews?.includes(String(callbackId))) return undefined;
      return known.views.includes(String(callbackId))
        ? `closing of view ${text(callbackId)}`
        : `view ${text(callbackId)}`;
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
