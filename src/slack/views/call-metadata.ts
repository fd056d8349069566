import type { CallLink } from '../../domain/calls/call-links.js';
import type { ModalMetadata } from './modal-metadata.js';

/** The comment modal's memory for one chosen call, keeping where it came from in Slack. */
export function metadataForCall(base: ModalMetadata, call: CallLink | undefined): ModalMetadata {
  const {
    calls: _calls,
    segmentId: _segment,
    agentId: _agent,
    offsetSeconds: _offset,
    callUrl: _url,
    context: _context,
    ...rest
  } = base;
  if (!call) return rest;
  return {
    ...rest,
    segmentId: call.segmentId,
    ...(call.agentId ? { agentId: call.agentId } : {}),
    ...(call.offsetSeconds === undefined ? {} : { offsetSeconds: call.offsetSeconds }),
    ...(call.url ? { callUrl: call.url } : {}),
  };
}
