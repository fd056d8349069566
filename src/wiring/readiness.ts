import type { FlexClient } from '../flex/flex-client.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { observedFlexClient } from '../health/observed-flex-client.js';
import { READINESS_PATH, readinessHandler } from '../health/readiness.js';
import { ServiceStatus } from '../health/service-status.js';
import { recordSlackCalls } from '../health/slack-call-status.js';

/**
 * What /readyz needs from the app: every Flex call goes through a client that records its outcome, every
 * Slack Web API call through the observer given to the transport, and the route that reports them.
 */
export function wireReadiness(deps: { prisma: PrismaClient; flex: FlexClient; serviceStatus?: ServiceStatus }) {
  const status = deps.serviceStatus ?? new ServiceStatus();
  return {
    status,
    flex: observedFlexClient(deps.flex, status),
    observeSlack: recordSlackCalls(status),
    route: { path: READINESS_PATH, method: ['GET'], handler: readinessHandler(deps.prisma, status) },
  };
}
