import { formatOffset } from '../../domain/calls/offset.js';
import type { ModalCallContext } from './modal-metadata.js';
import { escapeMrkdwn } from './mrkdwn.js';

/** One line a reviewer recognises a call by: agent, team, queue, customer and when it happened. */
export function describeCall(context: ModalCallContext): string {
  const parts: string[] = [];
  if (context.agentName) {
    const team = context.agentTeamName ? ` (${escapeMrkdwn(context.agentTeamName)})` : '';
    parts.push(`*${escapeMrkdwn(context.agentName)}*${team}`);
  }
  if (context.queue) parts.push(`queue ${escapeMrkdwn(context.queue)}`);
  if (context.customerName) parts.push(`with ${escapeMrkdwn(context.customerName)}`);
  if (context.date) parts.push(slackDate(context.date));
  return parts.length > 0 ? parts.join(' · ') : 'A call Flex knows, with no details to show';
}

/** A Slack date token, shown in each reader's own time zone, with a plain fallback. */
export function slackDate(iso: string): string {
  const epoch = Math.floor(Date.parse(iso) / 1000);
  if (!Number.isFinite(epoch)) return escapeMrkdwn(iso);
  return `<!date^${epoch}^{date_short_pretty} {time}|${escapeMrkdwn(iso)}>`;
}

export function describePosition(segmentId: string, offsetSeconds: number | undefined): string {
  const at = offsetSeconds !== undefined && offsetSeconds > 0 ? ` · at ${formatOffset(offsetSeconds)}` : '';
  return `Segment \`${escapeMrkdwn(segmentId)}\`${at}`;
}
