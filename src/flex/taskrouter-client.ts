import { z } from 'zod';
import { cleanName, emailField } from '../domain/identities/person-fields.js';
import { encodeForm } from './form-encoding.js';
import { createFlexHttp } from './http-transport.js';
import { readJson, statusError } from './responses.js';
import { type PageBound, readPages } from './twilio-paging.js';
import { defaultUserAgent } from './user-agent.js';

/** The TaskRouter paths this app uses; no other module knows them. */
const workersPath = (workspaceSid: string) => `/v1/Workspaces/${encodeURIComponent(workspaceSid)}/Workers`;

const workerPath = (workspaceSid: string, workerSid: string) =>
  `${workersPath(workspaceSid)}/${encodeURIComponent(workerSid)}`;

const WORKER_SID = /^WK[0-9a-fA-F]{32}$/;

/** Single Workers fetched at once when a list leaves their attributes out. */
const FETCH_CONCURRENCY = 8;

/** Twilio's page size cap for list resources. */
const PAGE_SIZE = 1000;
/** 500,000 workers is far beyond any contact centre; more means the paging has gone wrong. */
const ALL_PAGES: PageBound = { maxPages: 500, past: 'fail' };

/** A worker whose attributes say who they are. */
export interface FlexWorker {
  /** WK…; stays the same when the person's email or name changes. */
  sid: string;
  friendlyName: string;
  /** Lower-cased. */
  email: string;
  fullName: string;
  /** The Flex Insights agent id, when the attributes carry one. */
  agentId: string | undefined;
  /** The agent's team, when the attributes carry one (`team_name`, as Flex Insights reads it). */
  teamName?: string;
}

/** A worker the app cannot use, and why; reported, never fatal. */
export interface BrokenWorker {
  sid: string;
  friendlyName: string;
  problem: string;
}

export interface WorkerList {
  workers: FlexWorker[];
  broken: BrokenWorker[];
}

export interface TaskRouterClient {
  /** Every worker of the workspace, following Twilio's `meta.next_page_url` to the last page. */
  listWorkers(): Promise<WorkerList>;
  close(): Promise<void>;
}

export interface TaskRouterClientOptions {
  /** e.g. https://taskrouter.twilio.com */
  baseUrl: string;
  workspaceSid: string;
  /** HTTP basic: the same Account SID and Auth Token (or API key) the Flex client uses. */
  credentials: { username: string; password: string };
  timeoutMs: number;
}

const workerWire = z.object({ sid: z.string(), friendly_name: z.string().nullish(), attributes: z.unknown() }).loose();

const workerPageSchema = z
  .object({
    workers: z.array(z.unknown()),
    meta: z.object({ next_page_url: z.string().nullish() }).loose(),
  })
  .loose()
  .transform((page) => ({ items: page.workers, nextPageUrl: page.meta.next_page_url ?? null }));

const optionalText = z
  .unknown()
  .optional()
  .transform((value) =>
    typeof value === 'string' && value.trim() !== ''
      ? value.trim()
      : typeof value === 'number' && Number.isFinite(value)
        ? String(value)
        : undefined,
  );

/**
 * What Flex puts in a worker's attributes; everything else in them is left alone. `team_name` is the
 * attribute Flex Insights reads the agent's team from ("Enhance your agent data":
 * https://www.twilio.com/docs/flex/developer/insights/enhance-integration).
 */
const attributesSchema = z
  .object({
    email: z.string({ error: 'attributes have no email' }).pipe(emailField('attributes.email')),
    full_name: optionalText,
    agent_id: optionalText,
    team_name: optionalText,
  })
  .loose();

/** Reads one worker from the wire: a usable person, or what is wrong with it. */
export function readWorker(raw: unknown): FlexWorker | BrokenWorker {
  const wire = workerWire.safeParse(raw);
  if (!wire.success) {
    const sid = typeof raw === 'object' && raw && 'sid' in raw && typeof raw.sid === 'string' ? raw.sid : '(no sid)';
    return { sid, friendlyName: '', problem: 'the worker has no sid' };
  }
  const { sid } = wire.data;
  const friendlyName = wire.data.friendly_name ?? '';
  if (!WORKER_SID.test(sid)) return { sid, friendlyName, problem: 'sid is not a Worker SID (WK…)' };
  let attributes: unknown;
  try {
    attributes = typeof wire.data.attributes === 'string' ? JSON.parse(wire.data.attributes) : wire.data.attributes;
  } catch {
    return { sid, friendlyName, problem: 'attributes are not valid JSON' };
  }
  const parsed = attributesSchema.safeParse(attributes);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const problem =
      typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)
        ? 'attributes are not a JSON object'
        : (issue?.message ?? 'attributes are unreadable');
    return { sid, friendlyName, problem };
  }
  return {
    sid,
    friendlyName,
    email: parsed.data.email,
    // Flex's names are taken as they are, less control characters (a terminal or Slack would act on them).
    fullName: cleanName(parsed.data.full_name ?? '') || cleanName(friendlyName) || parsed.data.email,
    agentId: parsed.data.agent_id,
    ...(parsed.data.team_name && cleanName(parsed.data.team_name)
      ? { teamName: cleanName(parsed.data.team_name) }
      : {}),
  };
}

/** The TaskRouter Workers API over undici, paged the way twilio-node pages it. */
export function createTaskRouterClient(options: TaskRouterClientOptions): TaskRouterClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const basic = `Basic ${Buffer.from(`${options.credentials.username}:${options.credentials.password}`).toString('base64')}`;
  const http = createFlexHttp({ timeoutMs: options.timeoutMs, userAgent: defaultUserAgent() });
  const operation = 'listWorkers';

  /**
   * Twilio's OpenAPI description of a Worker (taskrouter.v1.workspace.worker, twilio/twilio-oai) says its
   * attributes "will only be displayed in FETCH actions that return a single resource" and are null in
   * lists: a listed Worker without attributes is fetched on its own (GET …/Workers/{Sid}) to read them.
   */
  async function withAttributes(items: unknown[]): Promise<unknown[]> {
    const out = [...items];
    const missing = out.flatMap((raw, index) => {
      const wire = workerWire.safeParse(raw);
      const fetchable = wire.success && (wire.data.attributes ?? null) === null && WORKER_SID.test(wire.data.sid);
      return fetchable ? [{ index, sid: wire.data.sid }] : [];
    });
    for (let start = 0; start < missing.length; start += FETCH_CONCURRENCY) {
      await Promise.all(
        missing.slice(start, start + FETCH_CONCURRENCY).map(async ({ index, sid }) => {
          const url = `${baseUrl}${workerPath(options.workspaceSid, sid)}`;
          const response = await http.send({ operation, method: 'GET', url, authorization: basic });
          // A worker deleted between the list and the fetch is simply gone.
          if (response.status === 404) out[index] = undefined;
          else if (response.status !== 200) throw statusError(response, operation, false);
          else out[index] = readJson(response, workerWire, operation);
        }),
      );
    }
    return out.filter((raw) => raw !== undefined);
  }

  return {
    async listWorkers() {
      const result: WorkerList = { workers: [], broken: [] };
      await readPages({
        operation,
        baseUrl,
        firstUrl: `${baseUrl}${workersPath(options.workspaceSid)}?${encodeForm([['PageSize', PAGE_SIZE]])}`,
        get: async (url) => {
          const response = await http.send({ operation, method: 'GET', url, authorization: basic });
          if (response.status !== 200) throw statusError(response, operation, false);
          return response;
        },
        schema: workerPageSchema,
        bound: ALL_PAGES,
        // Each page's workers are read (and their attributes fetched) before the next page is asked for.
        eachPage: async (items) => {
          for (const raw of await withAttributes(items)) {
            const worker = readWorker(raw);
            if ('problem' in worker) result.broken.push(worker);
            else result.workers.push(worker);
          }
        },
      });
      return result;
    },
    close: () => http.close(),
  };
}
