import type { IncomingMessage, ServerResponse } from 'node:http';
import { isDatabaseReachable } from '../db/prisma-client.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { SlackReceiverRoute } from '../slack/receiver/slack-receiver.js';

export const HEALTH_PATH = '/healthz';

/** GET /healthz: 200 while the database answers, 503 when it does not. */
export function healthRoute(prisma: PrismaClient): SlackReceiverRoute {
  return { method: 'GET', path: HEALTH_PATH, handler: healthHandler(prisma) };
}

function healthHandler(prisma: PrismaClient) {
  return (_req: IncomingMessage, res: ServerResponse): void => {
    void isDatabaseReachable(prisma).then((up) => {
      res.writeHead(up ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ status: up ? 'ok' : 'unavailable', database: up ? 'up' : 'down' }));
    });
  };
}
