import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type App, type Logger, type Receiver, SocketModeReceiver, webApi } from '@slack/bolt';
import type { SlackReceiverRoute } from '../slack/receiver/slack-receiver.js';
import { withTimeout } from '../support/with-timeout.js';

export interface SocketModeSettings {
  /** The app-level token (`xapp-…`, scope `connections:write`) that opens the connections. */
  appToken: string;
  /** The Web API client's settings (SLACK_API_URL, retries, fetch), for apps.connections.open too. */
  clientOptions: Omit<webApi.WebClientOptions, 'logger' | 'logLevel'>;
  /** What PORT answers, e.g. GET /healthz; nothing from Slack comes over HTTP in Socket Mode. */
  routes: SlackReceiverRoute[];
}

/** How long stopping waits for Slack to close the connection before it lets it go. */
const DISCONNECT_WAIT_MS = 2_000;

/**
 * Socket Mode: Slack's payloads arrive over a WebSocket the app opens with its app-level token
 * (apps.connections.open), so the app needs no public URL; Bolt's SocketModeReceiver does the protocol
 * (hello, envelopes and their acknowledgements, `disconnect` and reconnecting on a fresh URL).
 * PORT still serves the routes given (the health check), on a server this receiver owns: Bolt's own
 * listens without saying on which port or whether it could, so `start` resolves with this one.
 */
export class SocketModeWithRoutes implements Receiver {
  private socket: SocketModeReceiver | undefined;
  private server: Server | undefined;
  private logger: Logger | undefined;

  constructor(private readonly settings: SocketModeSettings) {}

  init(app: App): void {
    this.logger = app.logger;
    this.socket = new SocketModeReceiver({
      appToken: this.settings.appToken,
      logger: app.logger,
      // The client is given a copy: it fills in settings of its own. It logs with the logger above.
      installerOptions: { clientOptions: { ...this.settings.clientOptions } },
    });
    this.socket.init(app);
    // The client reconnects by itself (on a `disconnect` from Slack, a lost pong or a dropped line); the
    // log says when the app is not reachable from Slack, and when it is again.
    const logger = app.logger;
    let connectedBefore = false;
    this.socket.client.on('reconnecting', () =>
      logger.info('Socket Mode: the connection to Slack ended; opening a new one.'),
    );
    this.socket.client.on('connected', () => {
      if (connectedBefore) logger.info('Socket Mode: connected to Slack again.');
      connectedBefore = true;
    });
  }

  /** Listens on the port (0 picks a free one), then connects to Slack; resolves with the HTTP server. */
  async start(port: number): Promise<Server> {
    const socket = this.socket;
    if (!socket) throw new Error('The Socket Mode receiver was started before Bolt initialised it.');
    const server = createServer((req, res) => this.route(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    try {
      await this.checkAppToken();
      await socket.start();
    } catch (error) {
      await this.closeServer();
      throw error;
    }
    return server;
  }

  /** Closes the connection to Slack (no more payloads), then the HTTP server. */
  async stop(): Promise<void> {
    await withTimeout(
      this.socket?.client.disconnect() ?? Promise.resolve(),
      DISCONNECT_WAIT_MS,
      'Socket Mode disconnect',
    ).catch(() => undefined);
    await this.closeServer();
  }

  /**
   * Asks Slack for a connection once before Bolt's client does: the client retries a token without
   * connections:write, or a bot token, forever (only invalid_auth and the like stop it), so the app would
   * hang at start; here every refusal stops the start with what to do. The URL answered is not used
   * (Slack documents no limit on unused ones).
   */
  private async checkAppToken(): Promise<void> {
    const { appToken, clientOptions } = this.settings;
    const client = new webApi.WebClient(undefined, {
      ...clientOptions,
      ...(this.logger ? { logger: this.logger } : {}),
      headers: { Authorization: `Bearer ${appToken}` },
    });
    try {
      await client.apps.connections.open();
    } catch (error) {
      if (error instanceof webApi.WebAPIPlatformError) throw new Error(appTokenProblem(error.data.error));
      throw error;
    }
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    const route = this.settings.routes.find((r) => r.path === path && r.method === req.method);
    if (route) {
      route.handler(req, res);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
  }

  private async closeServer(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeIdleConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** What Slack's refusal of apps.connections.open means for whoever set SLACK_APP_TOKEN, and what to do. */
export function appTokenProblem(code: string): string {
  const where = 'your Slack app’s settings, Basic Information → App-Level Tokens';
  switch (code) {
    case 'not_allowed_token_type':
      return `SLACK_APP_TOKEN is not an app-level token (Slack answered not_allowed_token_type): set the xapp-… token from ${where}, not the bot token.`;
    case 'missing_scope':
      return `SLACK_APP_TOKEN lacks the connections:write scope (Slack answered missing_scope): generate an app-level token with connections:write in ${where}, and set it as SLACK_APP_TOKEN.`;
    case 'invalid_auth':
    case 'not_authed':
    case 'token_revoked':
    case 'token_expired':
    case 'account_inactive':
      return `Slack refused SLACK_APP_TOKEN (${code}): it is mistyped, revoked or another app’s. Generate an app-level token with the connections:write scope in ${where}, and set it as SLACK_APP_TOKEN.`;
    default:
      return `Slack would not open a Socket Mode connection (${code}): check that Socket Mode is turned on in your Slack app’s settings (Settings → Socket Mode) and that SLACK_APP_TOKEN has the connections:write scope.`;
  }
}
