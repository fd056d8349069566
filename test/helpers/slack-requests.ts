import { createHmac } from 'node:crypto';
import { request } from 'undici';

/** Slack's v0 request signature: HMAC-SHA256 of `v0:<timestamp>:<raw body>` with the signing secret. */
export function signSlackRequest(
  signingSecret: string,
  rawBody: string,
  timestampSeconds = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const signature = createHmac('sha256', signingSecret).update(`v0:${timestampSeconds}:${rawBody}`).digest('hex');
  return { 'x-slack-request-timestamp': String(timestampSeconds), 'x-slack-signature': `v0=${signature}` };
}

export interface SlackSendResult {
  status: number;
  text: string;
  json: unknown;
  headers: Record<string, string | string[] | undefined>;
}

export interface SendOptions {
  /** Sign with this timestamp (seconds), e.g. one older than five minutes. */
  timestampSeconds?: number;
  /** Sign with another secret, as a forger would. */
  signingSecret?: string;
  headers?: Record<string, string>;
}

/** Sends the app what Slack sends: signed, with Slack's exact content types. */
export class SlackSender {
  constructor(private readonly options: { url: string; signingSecret: string }) {}

  slashCommand(fields: Record<string, string>, options: SendOptions = {}): Promise<SlackSendResult> {
    return this.send(new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded', options);
  }

  interaction(payload: unknown, options: SendOptions = {}): Promise<SlackSendResult> {
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return this.send(body, 'application/x-www-form-urlencoded', options);
  }

  event(envelope: unknown, options: SendOptions = {}): Promise<SlackSendResult> {
    return this.send(JSON.stringify(envelope), 'application/json', options);
  }

  raw(body: string, headers: Record<string, string>): Promise<SlackSendResult> {
    return this.post(body, headers);
  }

  private send(body: string, contentType: string, options: SendOptions): Promise<SlackSendResult> {
    const signature = signSlackRequest(
      options.signingSecret ?? this.options.signingSecret,
      body,
      options.timestampSeconds ?? Math.floor(Date.now() / 1000),
    );
    return this.post(body, { 'content-type': contentType, ...signature, ...options.headers });
  }

  private async post(body: string, headers: Record<string, string>): Promise<SlackSendResult> {
    const response = await request(this.options.url, { method: 'POST', body, headers });
    const text = await response.body.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.statusCode, text, json, headers: response.headers };
  }
}
