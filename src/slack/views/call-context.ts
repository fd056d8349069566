import type { CallContext } from '../../domain/assessments/submission-service.js';
import type { ModalCallContext } from './modal-metadata.js';

/** The part of a call's description the modal keeps in its metadata, short enough for Slack's limit. */
export function toModalCallContext(call: CallContext): ModalCallContext {
  const short = (value: string | null) => (value === null ? null : value.slice(0, 200));
  return {
    agentName: short(call.agentName),
    agentTeamName: short(call.agentTeamName),
    customerName: short(call.customerName),
    queue: short(call.queue),
    date: call.date ? call.date.toISOString() : null,
  };
}
