import { Agent, type Dispatcher, request } from 'undici';
import { FlexBadResponseError, FlexError, FlexNetworkError, type FlexOperation } from './errors.js';

/** One request as the Flex client wants it sent; the transport adds nothing but the common headers. */
export interface FlexHttpRequest {
  operation: FlexOperation;
  method: 'GET' | 'POST';
  url: string;
  authorization: string;
  /** An encoded form body; its presence makes the request a form POST. */
  form?: string;
  signal?: AbortSignal | undefined;
}

export interface FlexHttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface FlexHttp {
  send(request: FlexHttpRequest): Promise<FlexHttpResponse>;
  close(): Promise<void>;
}

// Far above a page of 1,000 comments; a body this big is not an answer from Flex.
const MAX_BODY_BYTES = 16 * 1024 * 1024;

// Failures that happen before a connection exists: nothing can have reached Flex.
const NOT_CONNECTED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * Sends requests with the headers twilio-node sends (Accept, Accept-Charset, Content-Type on a POST)
 * over a keep-alive pool, and bounds each whole request, body included, by one timeout.
 */
export function createFlexHttp(options: { timeoutMs: number; userAgent: string; dispatcher?: Dispatcher }): FlexHttp {
  // Each comment waits on Flex (~100 ms), so throughput is connections ÷ latency: 64 carries a QA team's
  // burst while staying under Twilio's per-account concurrency limit (past it, 429s are retried).
  const ownPool = options.dispatcher ? undefined : new Agent({ connections: 64 });
  const dispatcher: Dispatcher = options.dispatcher ?? (ownPool as Agent);

  return {
    async send(outgoing) {
      const headers: Record<string, string> = {
        accept: 'application/json',
        'accept-charset': 'utf-8',
        authorization: outgoing.authorization,
        'user-agent': options.userAgent,
      };
      if (outgoing.form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
      const cancelledBeforeSending = outgoing.signal?.aborted === true;
      const timeout = AbortSignal.timeout(options.timeoutMs);
      const signal = outgoing.signal ? AbortSignal.any([outgoing.signal, timeout]) : timeout;
      try {
        const response = await request(outgoing.url, {
          method: outgoing.method,
          headers,
          ...(outgoing.form === undefined ? {} : { body: outgoing.form }),
          dispatcher,
          signal,
        });
        const body = await readBody(response.body, outgoing.operation, response.statusCode);
        return { status: response.statusCode, headers: response.headers, body };
      } catch (error) {
        if (error instanceof FlexError) throw error;
        const systemCode = systemCodeOf(error);
        const failure = timeout.aborted
          ? 'timeout'
          : outgoing.signal?.aborted
            ? 'cancelled'
            : systemCode && NOT_CONNECTED.has(systemCode)
              ? 'not_connected'
              : 'connection_lost';
        throw new FlexNetworkError({
          operation: outgoing.operation,
          failure,
          systemCode,
          timeoutMs: options.timeoutMs,
          mayHaveReachedFlex: failure !== 'not_connected' && !cancelledBeforeSending,
          cause: error,
        });
      }
    },

    async close() {
      await ownPool?.close();
    },
  };
}

async function readBody(
  body: AsyncIterable<Buffer> & { destroy(error?: Error): unknown },
  operation: FlexOperation,
  status: number,
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      body.destroy();
      throw new FlexBadResponseError({
        operation,
        status,
        responseBody: Buffer.concat(chunks).subarray(0, 2048).toString('utf8'),
        detail: `more than ${MAX_BODY_BYTES} bytes`,
      });
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The socket or undici error code, which Node puts on the error or, when wrapped, on its cause. */
function systemCodeOf(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 3; depth += 1) {
    if ('code' in current && typeof current.code === 'string') return current.code;
    current = 'cause' in current ? current.cause : undefined;
  }
  return undefined;
}
