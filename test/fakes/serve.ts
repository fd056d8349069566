/** How the fakes listen, and what a host (the sandbox) may put in front of them. */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Sees every request before the fake does; returns true when it answered the request itself. */
export type RequestInterceptor = (req: IncomingMessage, res: ServerResponse) => boolean;

export interface ServeOptions {
  /** The loopback port; 0 (the default) takes a free one. */
  port?: number;
  /** Runs first for every request: the sandbox logs requests and serves its `/_sandbox/` routes here. */
  intercept?: RequestInterceptor;
}

/** Listens on 127.0.0.1 and resolves with the base URL, `http://127.0.0.1:PORT`. */
export async function listenOnLoopback(server: Server, port = 0): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
