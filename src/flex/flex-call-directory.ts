import type { CallContext, CallDirectory } from '../domain/assessments/submission-service.js';
import { withTimeout } from '../support/with-timeout.js';
import { type FlexRejectedError, isCredentialRefusal } from './errors.js';
import type { FlexClient } from './flex-client.js';

/**
 * Answers "whose call is this?" from Flex's segments API, quickly enough for Slack's 3-second
 * windows: a slow or failing Flex means "unknown", and the modal asks the reviewer instead. When Flex
 * refused the app's own credentials, the reviewer is told that, and whom to tell.
 */
export function createFlexCallDirectory(
  client: Pick<FlexClient, 'findSegment'>,
  timeoutMs: number,
  onError: (error: unknown) => void,
): CallDirectory {
  let refused: FlexRejectedError | undefined;
  return {
    async findCall(segmentId: string): Promise<CallContext | null | undefined> {
      try {
        const segment = await withTimeout(client.findSegment(segmentId), timeoutMs, 'Flex segment lookup');
        refused = undefined;
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
        refused = isCredentialRefusal(error) ? error : undefined;
        onError(error);
        return undefined;
      }
    },
    refusal: () => (refused ? refusalSentence(refused) : undefined),
  };
}

/** What a reviewer is told when Flex refuses the app's credentials: not their fault, and who can fix it. */
function refusalSentence(error: FlexRejectedError): string {
  const twilio = error.twilioCode ? `, Twilio error ${error.twilioCode}` : '';
  return error.status === 403
    ? `Flex does not let this app's Twilio account read calls (HTTP 403${twilio}), so it cannot say whose call this is and comments may not reach Flex. Tell your Slack admin: the account needs Flex Insights quality-management access. You can still enter the agent id.`
    : `Flex refused this app's Twilio credentials (HTTP ${error.status}${twilio}), so it cannot say whose call this is and comments cannot reach Flex until they are fixed. Tell your Slack admin: the app's Twilio settings need fixing (its log says which). You can still enter the agent id.`;
}
