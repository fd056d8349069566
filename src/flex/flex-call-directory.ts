import type { CallContext, CallDirectory } from '../domain/assessments/submission-service.js';
import { withTimeout } from '../support/with-timeout.js';
import type { FlexClient } from './flex-client.js';

/**
 * Answers "whose call is this?" from Flex's segments API, quickly enough for Slack's 3-second
 * windows: a slow or failing Flex means "unknown", and the modal asks the reviewer instead.
 */
export function createFlexCallDirectory(
  client: Pick<FlexClient, 'findSegment'>,
  timeoutMs: number,
  onError: (error: unknown) => void,
): CallDirectory {
  return {
    async findCall(segmentId: string): Promise<CallContext | null | undefined> {
      try {
        const segment = await withTimeout(client.findSegment(segmentId), timeoutMs, 'Flex segment lookup');
        if (!segment) return null;
        return {
          segmentId: segment.segmentId,
          agentId: segment.agentId,
          agentName: segment.agentName,
          agentTeamName: segment.agentTeamName,
          customerName: segment.customerName,
          queue: segment.queue,
          date: segment.date,
        };
      } catch (error) {
        onError(error);
        return undefined;
      }
    },
  };
}
