import type { types } from '@slack/bolt';
import type { CallLink } from '../../domain/calls/call-links.js';
import { formatOffset } from '../../domain/calls/offset.js';
import { encodeModalMetadata, type ModalMetadata } from './modal-metadata.js';
import { truncate } from './mrkdwn.js';

export const CHOOSE_CALL_CALLBACK_ID = 'qm_choose_call';
export const NO_CALL_CALLBACK_ID = 'qm_no_call';
export const CHOOSE_CALL_BLOCK = { blockId: 'call', actionId: 'call_select' } as const;
const MAX_CALLS = 10;

/** Keeps the calls of a message within private_metadata's 3000 characters. */
export function callsForMetadata(calls: CallLink[]): CallLink[] {
  return calls.slice(0, MAX_CALLS).map((call) => ({
    segmentId: call.segmentId,
    ...(call.offsetSeconds === undefined ? {} : { offsetSeconds: call.offsetSeconds }),
    ...(call.agentId && call.agentId.length <= 64 ? { agentId: call.agentId } : {}),
    ...(call.url && call.url.length <= 200 ? { url: call.url } : {}),
  }));
}

/** The message links several calls: the reviewer first says which one. */
export function buildChooseCallModal(calls: CallLink[], metadata: ModalMetadata): types.ModalView {
  const options = calls.slice(0, MAX_CALLS).map(
    (call, index): types.PlainTextOption => ({
      text: {
        type: 'plain_text',
        text: truncate(
          `Call ${index + 1}: ${call.segmentId.slice(0, 8)}…${call.offsetSeconds ? ` at ${formatOffset(call.offsetSeconds)}` : ''}`,
          75,
        ),
      },
      value: call.segmentId,
    }),
  );
  return {
    type: 'modal',
    callback_id: CHOOSE_CALL_CALLBACK_ID,
    title: { type: 'plain_text', text: 'QM comment' },
    submit: { type: 'plain_text', text: 'Next' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: encodeModalMetadata(metadata),
    blocks: [
      {
        type: 'section',
        text: { type: 'mrkdwn', text: `This message links ${calls.length} calls. Which one is the comment about?` },
      },
      {
        type: 'input',
        block_id: CHOOSE_CALL_BLOCK.blockId,
        label: { type: 'plain_text', text: 'Call' },
        element: { type: 'static_select', action_id: CHOOSE_CALL_BLOCK.actionId, options, initial_option: options[0] },
      },
    ],
  };
}

/** The message has no call link: say what counts as one, and offer the form anyway. */
export function buildNoCallModal(metadata: ModalMetadata): types.ModalView {
  return {
    type: 'modal',
    callback_id: NO_CALL_CALLBACK_ID,
    title: { type: 'plain_text', text: 'QM comment' },
    submit: { type: 'plain_text', text: 'Open the form' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: encodeModalMetadata(metadata),
    blocks: [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: 'I found no call in this message. A call link is a Flex Insights or Flex UI link to a call (its segment id is in the link), a link of a form your admin added, or a segment id itself (a UUID such as `0105be7a-9b87-51f1-8df8-aa74ddb9c4a7`).\n\nYou can still open the comment form and enter the call yourself; the confirmation will go to this message’s thread.',
        },
      },
    ],
  };
}
