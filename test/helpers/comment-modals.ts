import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../src/config/config.js';
import { buildCommentModal } from '../../src/slack/views/comment-modal.js';
import { modalMetadataSealFor } from '../../src/wiring/security.js';
import type { FakeSlackApi } from '../fakes/fake-slack-api.js';
import type { World } from './world.js';

export interface OpenedModal {
  /** The view as Slack holds it, to submit. */
  view: Record<string, unknown>;
  /** Where the app confirms a submission of it. */
  responseUrl: string;
}

/**
 * Comment modals as Slack holds them after `/qm <call>` in the world's first channel, opened straight
 * through the fake's views.open (no command, no HTTP round trip), each for its own call: for load and
 * many-instance runs. Their private_metadata is sealed as the app started with `appEnv` seals it.
 */
export async function openCommentModals(
  slack: FakeSlackApi,
  world: World,
  count: number,
  appEnv: Record<string, string>,
): Promise<OpenedModal[]> {
  const seal = modalMetadataSealFor(loadConfig(appEnv));
  const [category] = world.categories;
  const [channel] = world.channels;
  const [segment] = world.segments;
  if (!category || !channel || !segment) throw new Error('The world needs a category, a channel and a segment');
  const openOne = (): OpenedModal => {
    const responseUrl = slack.newResponseUrl();
    const view = seal.sealView(
      buildCommentModal({
        categories: [{ id: category.id, name: category.name, isDefault: true }],
        // One call each, as in real life: a retry then reads a short list of that call's comments.
        metadata: {
          v: 1,
          source: 'command',
          channelId: channel.id,
          responseUrl,
          segmentId: randomUUID(),
          agentId: segment.agent_id,
        },
      }),
    );
    return { view: slack.openView(view), responseUrl };
  };
  const opened: OpenedModal[] = [];
  for (let i = 0; i < count; i += 1) {
    opened.push(openOne());
    // Lets the fakes' servers answer between batches: tens of thousands open in a few seconds.
    if (i % 500 === 499) await new Promise((resolve) => setImmediate(resolve));
  }
  return opened;
}
