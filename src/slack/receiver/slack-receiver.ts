import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type App, HTTPModuleFunctions, HTTPResponseAck, type Logger, type Receiver } from '@slack/bolt';
import type { BufferedIncomingMessage } from '@slack/bolt/dist/receivers/BufferedIncomingMessage.js';
import { checkSlackSignature, isSslCheck } from './request-signature.js';
import { envelopeProblem } from './slack-envelope.js';

/**
 * Slack's own payloads stay far below this: a modal is at most 250 kB and a message 40,000 characters
 * plus 50 blocks. Anything larger is refused before it is read into memory.
 */
export const SLACK_BODY_LIMIT_BYTES = 1024 * 1024;
export const SLACK_EVENTS_PATH = '/slack/events';

/** Another route this server answers, e.g. GET /healthz or the OAuth install pages. */
export interface SlackReceiverRoute {
  method: string;
  path: string;
  handler: (req: IncomingMessage, res: ServerResponse) => void;
}

export interface SlackReceiverOptions {
  signingSecret: string;
  /** Bolt's logger (the app's) unless given. */
  logger?: Logger;
  /** Other routes this server answers, e.g. GET /healthz. */
  routes?: SlackReceiverRoute[];
  bodyLimitBytes?: number;
  /** Told, for every request acknowledged, its payload type and the seconds from arrival to the ack sent. */
  onAcknowledged?: (type: string, seconds: number) => void;
}

/** Payload types Slack sends to /slack/events (slash commands carry none); anything else counts as other. */
const PAYLOAD_TYPES = new Set([
  'event_callback',
  'block_actions',
  'block_suggestion',
  'view_submission',
  'view_closed',
  'shortcut',
  'message_action',
  'interactive_message',
  'dialog_submission',
]);

/**
 * The HTTP side of the app: every request to /slack/events must carry Slack's signature (there is no
 * switch to turn that off), stay within Slack's sizes, and have the shape Slack documents; whatever
 * fails is answered with a bare 4xx and a log line, never reaches a listener, and never brings the
 * process down.
 */
export class SlackReceiver implements Receiver {
  private app: App | undefined;
  private server: Server | undefined;
  private readonly signingSecret: string;
  private logger: Logger;
  private readonly bodyLimit: number;

  constructor(private readonly options: SlackReceiverOptions) {
    if (options.signingSecret.trim() === '') {
      throw new Error('The Slack signing secret is empty; requests could not be verified, so the app will not start.');
    }
    this.signingSecret = options.signingSecret;
    this.logger = options.logger ?? silentUntilInit;
    this.bodyLimit = options.bodyLimitBytes ?? SLACK_BODY_LIMIT_BYTES;
  }

  init(app: App): void {
    this.app = app;
    if (!this.options.logger) this.logger = app.logger;
  }

  /** Listens on the port (0 picks a free one) and resolves with the server. */
  start(port: number): Promise<Server> {
    const server = createServer((req, res) => this.handle(req, res));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, () => {
        server.off('error', reject);
        resolve(server);
      });
    });
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeIdleConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    const route = this.options.routes?.find((r) => r.path === path && r.method === req.method);
    if (route) {
      route.handler(req, res);
      return;
    }
    if (path !== SLACK_EVENTS_PATH || req.method !== 'POST') {
      this.logger.info(
        `Refused ${String(req.method).slice(0, 10)} ${String(path).slice(0, 100)}: not a route of this app.`,
      );
      reply(res, path === SLACK_EVENTS_PATH ? 405 : 404);
      return;
    }
    this.handleSlackRequest(req, res).catch((error: unknown) => {
      this.logger.error({ err: error }, 'A Slack request failed unexpectedly');
      if (!res.headersSent) reply(res, 500);
    });
  }

  private async handleSlackRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrived = performance.now();
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > this.bodyLimit) {
      this.logger.warn(
        `Refused a Slack request: its body exceeded the maximum allowed size (${this.bodyLimit} bytes).`,
      );
      reply(res, 413, { close: true });
      return;
    }
    let buffered: BufferedIncomingMessage;
    try {
      buffered = await HTTPModuleFunctions.bufferIncomingMessage(req, this.bodyLimit);
    } catch (error) {
      const tooLarge = HTTPModuleFunctions.isRawBodyError(error) && error.statusCode === 413;
      this.logger.warn(
        tooLarge
          ? `Refused a Slack request: its body exceeded the maximum allowed size (${this.bodyLimit} bytes).`
          : `Refused a Slack request whose body could not be read (${HTTPModuleFunctions.isRawBodyError(error) ? error.type : 'read error'}).`,
      );
      reply(res, tooLarge ? 413 : 400, { close: true });
      return;
    }
    // Slack's SSL check is the one request Slack does not sign: answered 200, its body otherwise unread.
    if (isSslCheck(req.headers['content-type'], buffered.rawBody)) {
      this.logger.debug('Answered Slack’s ssl_check (unsigned, as Slack sends it).');
      reply(res, 200);
      return;
    }
    const verified = checkSlackSignature({
      signingSecret: this.signingSecret,
      timestamp: req.headers['x-slack-request-timestamp'],
      signature: req.headers['x-slack-signature'],
      rawBody: buffered.rawBody,
    });
    if (!verified.ok) {
      this.logger.warn(`Refused a Slack request that failed to verify: ${verified.reason}.`);
      reply(res, 401);
      return;
    }

    let body: unknown;
    try {
      body = HTTPModuleFunctions.parseHTTPRequestBody(buffered);
    } catch (error) {
      this.logger.warn({ err: error }, 'Refused a Slack request: Malformed request body.');
      reply(res, 400);
      return;
    }
    if (isRecord(body) && body.type === 'url_verification' && typeof body.challenge === 'string') {
      HTTPModuleFunctions.buildUrlVerificationResponse(res, body);
      return;
    }
    const problem = envelopeProblem(body);
    if (problem !== undefined || !isRecord(body)) {
      this.logger.warn(`Refused a Slack request: Malformed request body: ${problem ?? 'not an object'}.`);
      reply(res, 400);
      return;
    }

    const ack = new HTTPResponseAck({
      logger: this.logger,
      processBeforeResponse: false,
      httpRequest: buffered,
      httpRequestBody: body,
      httpResponse: res,
    });
    const sendAck = ack.bind();
    const acknowledged = this.options.onAcknowledged;
    try {
      await this.app?.processEvent({
        body,
        // Node sends a response on the next tick, and a tick waits for every pending promise callback:
        // the listener's work after ack() (database, Web API calls) would hold the response back.
        // ack() resolves on the next turn of the event loop, so the response leaves first.
        ack: async (response) => {
          await sendAck(response);
          acknowledged?.(payloadType(body), (performance.now() - arrived) / 1000);
          await new Promise<void>((resolve) => setImmediate(resolve));
        },
        retryNum: HTTPModuleFunctions.extractRetryNumFromHTTPRequest(req),
        retryReason: HTTPModuleFunctions.extractRetryReasonFromHTTPRequest(req),
      });
    } catch (error) {
      // The listener's own error handler has logged it; Slack gets a bare status, never a stack trace.
      this.logger.error({ err: error }, 'A Slack listener failed');
      if (!res.headersSent) {
        reply(res, 500);
        ack.ack();
      }
    }
  }
}

const ignore = (): void => undefined;
/** Replaced by the app's logger in init(), before any request can arrive. */
const silentUntilInit: Logger = {
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
  setLevel: ignore,
  getLevel: () => 'info' as ReturnType<Logger['getLevel']>,
  setName: ignore,
};

function reply(res: ServerResponse, status: number, options: { close?: boolean } = {}): void {
  res.writeHead(status, options.close ? { connection: 'close' } : {});
  res.end();
}

function payloadType(body: Record<string, unknown>): string {
  if (typeof body.command === 'string') return 'slash_command';
  return typeof body.type === 'string' && PAYLOAD_TYPES.has(body.type) ? body.type : 'other';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
