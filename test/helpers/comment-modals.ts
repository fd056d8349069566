import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import { buildCommentModal } from '../../src/slack/views/comment-modal.js';
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
 * through views.open (no command round trip), each for its own call: for load and many-instance runs.
 */
export async function openCommentModals(slack: FakeSlackApi, world: World, count: number): Promise<OpenedModal[]> {
  const [category] = world.categories;
  const [channel] = world.channels;
  const [segment] = world.segments;
  if (!category || !channel || !segment) throw new Error('The world needs a category, a channel and a segment');
  const openOne = async (): Promise<OpenedModal> => {
    const responseUrl = slack.newResponseUrl();
    const view = buildCommentModal({
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
    });
    const response = await request(`${slack.apiUrl}views.open`, {
      method: 'POST',
      headers: { authorization: `Bearer ${world.bot.token}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ trigger_id: slack.issueTriggerId(), view: JSON.stringify(view) }).toString(),
    });
    const json = (await response.body.json()) as { ok: boolean; error?: string; view: Record<string, unknown> };
    if (!json.ok) throw new Error(`views.open failed: ${json.error ?? 'no error given'}`);
    return { view: json.view, responseUrl };
  };
  const opened: OpenedModal[] = [];
  // A few dozen at a time: tens of thousands for a load run open in seconds.
  for (let first = 0; first < count; first += 32) {
    opened.push(...(await Promise.all(Array.from({ length: Math.min(32, count - first) }, openOne))));
  }
  return opened;
}
