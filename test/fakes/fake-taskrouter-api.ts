/**
 * A local TaskRouter (https://taskrouter.twilio.com) serving one workspace's Workers list and single
 * Workers as Twilio does: basic auth with the account's credentials, `PageSize` checked, pages linked
 * by an absolute `meta.next_page_url` with an opaque PageToken, `attributes` as a JSON string.
 * Twilio's OpenAPI description (test/contracts/twilio/taskrouter-v1.json, taskrouter.v1.workspace.worker)
 * says a Worker's attributes "will only be displayed in FETCH actions that return a single resource"
 * and are null in lists; `nullAttributesInLists` serves lists that way.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { FlexCredentials } from './flex/credentials.js';
import { pageOf } from './flex/paging.js';
import { type FakeAnswer, newSid, twilioError, twilioHeaders } from './flex/twilio-wire.js';
import { listenOnLoopback, type ServeOptions } from './serve.js';

export interface FakeWorker {
  sid: string;
  friendlyName: string;
  /** Stored as given: an object is JSON-encoded, a string is served as is (to serve broken JSON). */
  attributes: Record<string, unknown> | string;
}

export interface RecordedTaskRouterRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
}

const PUBLIC_BASE = 'https://taskrouter.twilio.com';

export class FakeTaskRouterApi {
  readonly requests: RecordedTaskRouterRequest[] = [];
  readonly workspaceSid: string;
  readonly accountSid: string;
  readonly authToken: string;
  private readonly credentials: FlexCredentials;
  private workers: FakeWorker[] = [];
  private nullAttributesInLists = false;

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
    account: { accountSid: string; authToken: string; workspaceSid: string },
    private readonly maxPageSize: number,
  ) {
    this.workspaceSid = account.workspaceSid;
    this.accountSid = account.accountSid;
    this.authToken = account.authToken;
    this.credentials = new FlexCredentials(
      {
        accountSid: account.accountSid,
        authToken: account.authToken,
        apiKeySid: newSid('SK'),
        apiKeySecret: randomBytes(16).toString('hex'),
      },
      { name: 'Flex Account', email: null },
    );
  }

  /** Shares the account with a fake Flex API when given its credentials, as one Twilio account does. */
  static async start(
    options: ServeOptions & {
      accountSid?: string;
      authToken?: string;
      workspaceSid?: string;
      maxPageSize?: number;
      /** Lists carry `attributes: null`, as the spec describes; a single Worker's fetch carries them. */
      nullAttributesInLists?: boolean;
    } = {},
  ): Promise<FakeTaskRouterApi> {
    const server = createServer();
    const baseUrl = await listenOnLoopback(server, options.port);
    server.unref();
    const fake = new FakeTaskRouterApi(
      server,
      baseUrl,
      {
        accountSid: options.accountSid ?? newSid('AC'),
        authToken: options.authToken ?? randomBytes(16).toString('hex'),
        workspaceSid: options.workspaceSid ?? newSid('WS'),
      },
      options.maxPageSize ?? 1000,
    );
    fake.nullAttributesInLists = options.nullAttributesInLists ?? false;
    server.on('request', (req, res) => {
      if (options.intercept?.(req, res)) return;
      const url = new URL(req.url ?? '/', fake.baseUrl);
      const recorded = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
      };
      fake.requests.push(recorded);
      req.resume();
      req.on('end', () => {
        const answer = fake.route(recorded);
        const body = JSON.stringify(answer.body);
        res.writeHead(answer.status, {
          ...twilioHeaders(),
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(body),
          ...answer.headers,
        });
        res.end(body);
      });
    });
    return fake;
  }

  setWorkers(workers: FakeWorker[]): void {
    this.workers = workers.map((worker) => ({ ...worker }));
  }

  /** A worker as Flex creates one for an agent. */
  static worker(attributes: Record<string, unknown> | string, sid = newSid('WK')): FakeWorker {
    const name = typeof attributes === 'string' ? 'broken' : String(attributes.full_name ?? attributes.email ?? sid);
    return { sid, friendlyName: name.toLowerCase().replace(/\s+/g, '_'), attributes };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private route(request: RecordedTaskRouterRequest): FakeAnswer {
    if (!this.credentials.identify(request.headers.authorization)) {
      return {
        ...twilioError(401, 20003, 'Authenticate'),
        headers: { 'www-authenticate': 'Basic realm="Twilio API"' },
      };
    }
    const match = /^\/v1\/Workspaces\/([^/]+)\/Workers(?:\/([^/]+))?$/.exec(request.path);
    const notFound = twilioError(404, 20404, `The requested resource ${request.path} was not found`);
    if (!match || match[1] !== this.workspaceSid) return notFound;
    if (request.method !== 'GET') return twilioError(405, 20004, 'Method not allowed');
    if (match[2] !== undefined) {
      const worker = this.workers.find((candidate) => candidate.sid === match[2]);
      return worker ? { status: 200, body: this.workerJson(worker) } : notFound;
    }
    const items = this.workers.map((worker) => {
      const json = this.workerJson(worker);
      return this.nullAttributesInLists ? { ...json, attributes: null } : json;
    });
    return pageOf(items, request, 'workers', { baseUrl: this.baseUrl, maxPageSize: this.maxPageSize });
  }

  private workerJson(worker: FakeWorker) {
    return {
      account_sid: this.accountSid,
      activity_name: 'Available',
      activity_sid: `WA${'0'.repeat(32)}`,
      attributes: typeof worker.attributes === 'string' ? worker.attributes : JSON.stringify(worker.attributes),
      available: true,
      date_created: '2026-01-05T10:00:00Z',
      date_status_changed: '2026-11-20T09:00:00Z',
      date_updated: '2026-11-20T09:00:00Z',
      friendly_name: worker.friendlyName,
      sid: worker.sid,
      workspace_sid: this.workspaceSid,
      url: `${PUBLIC_BASE}/v1/Workspaces/${this.workspaceSid}/Workers/${worker.sid}`,
      links: {
        channels: `${PUBLIC_BASE}/v1/Workspaces/${this.workspaceSid}/Workers/${worker.sid}/Channels`,
        activity: `${PUBLIC_BASE}/v1/Workspaces/${this.workspaceSid}/Activities/WA${'0'.repeat(32)}`,
        workspace: `${PUBLIC_BASE}/v1/Workspaces/${this.workspaceSid}`,
      },
    };
  }
}
