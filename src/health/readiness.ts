import type { IncomingMessage, ServerResponse } from 'node:http';
import { isDatabaseReachable } from '../db/prisma-client.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { LastCall, ServiceStatus } from './service-status.js';

export const READINESS_PATH = '/readyz';

/**
 * GET /readyz: whether this instance can do its work. 503 only when the database does not answer (nothing
 * can be taken then); Flex or Slack refusing the app's credentials or not answering leaves it 200 with status "degraded", since comments wait in
 * the database for Flex and taking an instance out of rotation would not bring Slack or Flex back.
 * Each service shows the last call made to it: its result, which call, when, and what the service said.
 */
export function readinessHandler(prisma: PrismaClient, status: ServiceStatus) {
  return (_req: IncomingMessage, res: ServerResponse): void => {
    void isDatabaseReachable(prisma).then((up) => {
      const flex = status.lastCall('flex');
      const slack = status.lastCall('slack');
      const degraded = [flex, slack].some((call) => call?.result === 'refused' || call?.result === 'unreachable');
      const overall = !up ? 'unavailable' : degraded ? 'degraded' : 'ok';
      res.writeHead(up ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(
        JSON.stringify({
          status: overall,
          database: up ? 'up' : 'down',
          flex: describe(flex),
          slack: describe(slack),
        }),
      );
    });
  };
}

function describe(call: LastCall | undefined) {
  if (!call) return { result: 'not_called_yet' };
  return {
    result: call.result,
    call: call.call,
    at: call.at.toISOString(),
    ...(call.detail !== undefined ? { detail: call.detail } : {}),
  };
}
