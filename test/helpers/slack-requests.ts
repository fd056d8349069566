/** Sends the app what Slack sends it: signed requests with Slack's exact content types. */
import { createHmac } from 'node:crypto';
import { request } from 'undici';

const ANSWER_TIMEOUT_MS = 60_000;

import { optionsAnswerProblems, viewSubmissionAnswerProblems } from '../fakes/slack/block-kit-rules.js';

/** Slack's v0 request signature: HMAC-SHA256 of `v0:<timestamp>:<raw body>` with the signing secret. */
export function signSlackRequest(
  signingSecret: string,
  rawBody: string,
  timestampSeconds = Math.floor(Date.now() / 1000),
): { 'x-slack-request-timestamp': string; 'x-slack-signature': string } {
  const signature = createHmac('sha256', signingSecret).update(`v0:${timestampSeconds}:${rawBody}`).digest('hex');
  return { 'x-slack-request-timestamp': String(timestampSeconds), 'x-slack-signature': `v0=${signature}` };
}

export interface SlackSendResult {
  status: number;
  text: string;
  /** The body parsed as JSON, or undefined when it is empty or not JSON. */
  json: unknown;
  headers: Record<string, string | string[] | undefined>;
}

/** For negative tests: how this request should differ from a genuine one. */
export interface SendOptions {
  /** Sign with this timestamp (seconds), e.g. one more than five minutes old. */
  timestampSeconds?: number;
  /** Sign with another secret, as a forger would. */
  signingSecret?: string;
  /** Send this x-slack-signature as is. */
  signature?: string;
  /** Extra or replacing headers. */
  headers?: Record<string, string>;
}

// Bolt compares the form content type as an exact string; `; charset=utf-8` would get a 400.
const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

export class SlackSender {
  constructor(private readonly options: { url: string; signingSecret: string }) {}

  /** A slash command: its fields form-encoded directly in the body. */
  slashCommand(fields: Record<string, string>, options: SendOptions = {}): Promise<SlackSendResult> {
    return this.send(new URLSearchParams(fields).toString(), FORM, options);
  }

  /**
   * Shortcuts, block actions, view submissions, options requests: `payload=<json>`, form-encoded. The
   * app's answer to a view_submission or a block_suggestion is held to Block Kit's rules, as Slack holds
   * it: one Slack would refuse fails the test here.
   */
  async interaction(payload: unknown, options: SendOptions = {}): Promise<SlackSendResult> {
    const result = await this.send(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), FORM, options);
    const problems = result.status === 200 ? interactionAnswerProblems(payload, result.json) : [];
    if (problems.length > 0) {
      throw new Error(`Slack would refuse the app's answer (${result.text.slice(0, 500)}):\n${problems.join('\n')}`);
    }
    return result;
  }

  /** An Events API envelope, sent as JSON. */
  event(envelope: unknown, options: SendOptions = {}): Promise<SlackSendResult> {
    return this.send(JSON.stringify(envelope), JSON_TYPE, options);
  }

  /** Exactly this body and these headers, unsigned unless the headers sign it. */
  raw(body: string, headers: Record<string, string>): Promise<SlackSendResult> {
    return this.post(body, headers);
  }

  private send(body: string, contentType: string, options: SendOptions): Promise<SlackSendResult> {
    const signed = signSlackRequest(
      options.signingSecret ?? this.options.signingSecret,
      body,
      options.timestampSeconds ?? Math.floor(Date.now() / 1000),
    );
    if (options.signature !== undefined) signed['x-slack-signature'] = options.signature;
    return this.post(body, { 'content-type': contentType, ...signed, ...options.headers });
  }

  private async post(body: string, headers: Record<string, string>): Promise<SlackSendResult> {
    // Slack gives up on an answer after 3 s; a request that hangs fails the test in a minute, not undici's 5.
    const response = await request(this.options.url, {
      method: 'POST',
      body,
      headers,
      headersTimeout: ANSWER_TIMEOUT_MS,
      bodyTimeout: ANSWER_TIMEOUT_MS,
    }).catch((error: unknown) => {
      const code = (error as { code?: unknown } | null)?.code;
      if (code !== 'UND_ERR_HEADERS_TIMEOUT' && code !== 'UND_ERR_BODY_TIMEOUT') throw error;
      throw new Error(`The app did not answer a Slack request within ${ANSWER_TIMEOUT_MS / 1000} s`, { cause: error });
    });
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

/** What Slack would refuse in the app's answer to an interaction that answers with content. */
function interactionAnswerProblems(payload: unknown, answer: unknown): string[] {
  const { type, view } = (payload ?? {}) as { type?: unknown; view?: unknown };
  if (type === 'view_submission') return viewSubmissionAnswerProblems(answer, view);
  if (type === 'block_suggestion') return optionsAnswerProblems(answer);
  return [];
}
