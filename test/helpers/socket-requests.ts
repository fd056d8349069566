/**
 * Sends the app what Slack sends it in Socket Mode: the same payloads as over HTTP (slack-payloads.ts),
 * in envelopes over the app's WebSocket connection, and waits for the acknowledgement.
 */
import type { EnvelopeOutcome, EnvelopeType, FakeSocketMode } from '../fakes/slack/socket-mode.js';

type Json = Record<string, unknown>;

export interface SocketSendResult {
  outcome: EnvelopeOutcome;
  /** What the app put in its acknowledgement (`payload`), as the HTTP body would have been. */
  json: Json | undefined;
}

export class SocketSender {
  constructor(private readonly socket: FakeSocketMode) {}

  /** A slash command: its fields as the envelope's payload (in Socket Mode, JSON, not form-encoded). */
  slashCommand(fields: Record<string, string>): Promise<SocketSendResult> {
    return this.send('slash_commands', fields);
  }

  /** Shortcuts, block actions, view submissions and closings, options requests. */
  interaction(payload: Json): Promise<SocketSendResult> {
    return this.send('interactive', payload);
  }

  /** An Events API `event_callback`, whole, as the envelope's payload. */
  event(callback: Json): Promise<SocketSendResult> {
    return this.send('events_api', callback);
  }

  private async send(type: EnvelopeType, payload: Json): Promise<SocketSendResult> {
    const outcome = await this.socket.deliver(type, payload).outcome;
    return { outcome, json: outcome.acked ? outcome.payload : undefined };
  }
}
