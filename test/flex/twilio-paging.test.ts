import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import { FlexBadResponseError, type FlexOperation } from '../../src/flex/errors.js';
import { createFlexClient } from '../../src/flex/flex-client.js';
import { createTaskRouterClient } from '../../src/flex/taskrouter-client.js';
import { listenOnLoopback } from '../fakes/serve.js';

const SEGMENT = '0105be7a-9b87-51f1-8df8-aa74ddb9c4a7';

/**
 * A Twilio API whose every list page is empty and links to whatever `nextPage` says: the paging every
 * list of the Flex and TaskRouter clients shares (src/flex/twilio-paging.ts), driven to each refusal.
 */
class ScriptedPages {
  /** Path and query of each request, in order. */
  readonly requests: Array<{ pathAndQuery: string; authorization: string | undefined }> = [];
  /** The next page's link, given the base URL and how many pages were read (this one included). */
  nextPage: (baseUrl: string, pagesRead: number) => string | null = () => null;

  private constructor(
    private readonly server: ReturnType<typeof createServer>,
    readonly baseUrl: string,
  ) {}

  static async start(): Promise<ScriptedPages> {
    const server = createServer();
    const pages = new ScriptedPages(server, await listenOnLoopback(server));
    server.on('request', (req, res) => {
      req.resume();
      const body = JSON.stringify(pages.answer(req));
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
    return pages;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private answer(req: IncomingMessage) {
    this.requests.push({ pathAndQuery: req.url ?? '', authorization: req.headers.authorization });
    // Each list reads its own key; the others are ignored, as Twilio's envelope allows.
    return {
      comments: [],
      questionnaires: [],
      assessments: [],
      workers: [],
      meta: { next_page_url: this.nextPage(this.baseUrl, this.requests.length) },
    };
  }
}

describe('paging every Twilio list the same way', () => {
  let api: ScriptedPages;
  let flex: ReturnType<typeof createFlexClient>;
  let taskRouter: ReturnType<typeof createTaskRouterClient>;
  before(async () => {
    api = await ScriptedPages.start();
    const credentials = { username: `AC${'1'.repeat(32)}`, password: 'token' };
    flex = createFlexClient({ baseUrl: api.baseUrl, credentials, timeoutMs: 10_000 });
    taskRouter = createTaskRouterClient({
      baseUrl: api.baseUrl,
      workspaceSid: `WS${'2'.repeat(32)}`,
      credentials,
      timeoutMs: 10_000,
    });
  });
  after(async () => {
    await flex.close();
    await taskRouter.close();
    await api.close();
  });
  beforeEach(() => {
    api.requests.length = 0;
    api.nextPage = () => null;
  });

  const lists: Array<{
    operation: FlexOperation;
    read: () => Promise<unknown>;
    maxPages: number;
    past: 'fail' | 'stop';
  }> = [
    { operation: 'listComments', read: () => flex.listComments({ segmentId: SEGMENT }), maxPages: 50, past: 'fail' },
    { operation: 'listQuestionnaires', read: () => flex.listQuestionnaires(), maxPages: 50, past: 'fail' },
    { operation: 'listAnswers', read: () => flex.listAnswers(SEGMENT), maxPages: 50, past: 'fail' },
    { operation: 'listCallComments', read: () => flex.listCallComments(SEGMENT), maxPages: 5, past: 'stop' },
    { operation: 'listCallAnswers', read: () => flex.listCallAnswers(SEGMENT), maxPages: 5, past: 'stop' },
    { operation: 'listWorkers', read: () => taskRouter.listWorkers(), maxPages: 500, past: 'fail' },
  ];

  const refusal = async (read: () => Promise<unknown>, operation: FlexOperation): Promise<FlexBadResponseError> => {
    const error = await read().then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof FlexBadResponseError, `${operation}: a bad response, not ${String(error)}`);
    assert.equal(error.operation, operation);
    assert.equal(error.outcomeUnknown, false, `${operation}: a list changes nothing in Flex`);
    return error;
  };

  for (const { operation, read, maxPages, past } of lists) {
    describe(operation, () => {
      it('asks its own API for a next page named on another host, with the same credentials', async () => {
        api.nextPage = (_, pagesRead) =>
          pagesRead === 1 ? 'https://elsewhere.example/v1/Elsewhere?PageToken=PTx&Page=1' : null;
        await read();
        assert.equal(api.requests.length, 2);
        assert.equal(api.requests[1]?.pathAndQuery, '/v1/Elsewhere?PageToken=PTx&Page=1');
        assert.equal(api.requests[1]?.authorization, api.requests[0]?.authorization);
      });

      it('refuses a next page that is not a URL', async () => {
        api.nextPage = () => 'http://[not-a-host';
        const error = await refusal(read, operation);
        assert.match(error.message, /\(meta\.next_page_url is not a URL\)$/);
        assert.equal(api.requests.length, 1);
      });

      it('refuses a next page that leads back to a page already read', async () => {
        api.nextPage = (baseUrl) => `${baseUrl}/v1/Loop?Page=1&PageToken=PTloop`;
        const error = await refusal(read, operation);
        assert.match(error.message, /\(meta\.next_page_url points back to a page already read\)$/);
        assert.equal(api.requests.length, 2, 'the page that loops is read once');
      });

      it(`reads at most ${maxPages} pages, then ${past === 'fail' ? 'fails' : 'says the list is not whole'}`, async () => {
        api.nextPage = (baseUrl, pagesRead) => `${baseUrl}/v1/Pages?Page=${pagesRead}`;
        if (past === 'fail') {
          const error = await refusal(read, operation);
          assert.equal(
            error.message,
            `Flex answered HTTP 200 with a body we could not use (more than ${maxPages} pages)`,
          );
        } else {
          assert.deepEqual(await read(), { items: [], complete: false });
        }
        assert.equal(api.requests.length, maxPages, 'no page read past the bound');
      });
    });
  }
});
