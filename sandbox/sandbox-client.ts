/** `sandbox:send`'s view of the fakes: their `/_sandbox/` routes, answers checked with zod. */
import { request } from 'undici';
import { z } from 'zod';
import type { JournalEntry } from './journal.js';
import type { SendSettings } from './send-settings.js';

const journalSchema = z.array(
  z.object({
    seq: z.number(),
    at: z.string(),
    service: z.enum(['slack', 'flex', 'taskrouter']),
    request: z.string(),
    detail: z.string(),
    outcome: z.string(),
  }),
);

/** A view or message as Slack holds it: JSON objects the payload builders read. */
const jsonObject = z.record(z.string(), z.unknown());
const viewSchema = jsonObject.and(z.object({ id: z.string(), callback_id: z.string() }));
const messagesSchema = z.array(
  jsonObject.and(z.object({ channel: z.string(), ts: z.string(), text: z.string().optional() })),
);

export type SlackView = z.infer<typeof viewSchema>;
export type SlackMessage = z.infer<typeof messagesSchema>[number];

export class SandboxClient {
  constructor(private readonly fakes: SendSettings['fakes']) {}

  async triggerId(viewId?: string): Promise<string> {
    const body = await this.call('slack', 'POST', '/_sandbox/triggers', viewId ? { view_id: viewId } : {});
    return z.object({ trigger_id: z.string() }).parse(body).trigger_id;
  }

  async responseUrl(channel: string, user: string): Promise<string> {
    const body = await this.call('slack', 'POST', '/_sandbox/response-urls', { channel, user });
    return z.object({ response_url: z.string() }).parse(body).response_url;
  }

  /** The newest modal as it shows now, or `?home=U…`'s Home tab. */
  async view(query: Record<string, string> = {}): Promise<SlackView> {
    return viewSchema.parse(await this.call('slack', 'GET', `/_sandbox/view?${new URLSearchParams(query)}`));
  }

  /**
   * What Slack does with a view submission answered `response_action: update`: the modal becomes the
   * view in the answer (through the fake's views.update, with the bot's token, so the same rules apply).
   */
  async replaceView(viewId: string, view: unknown, botToken: string): Promise<void> {
    const response = await request(`${this.fakes.slack}/api/views.update`, {
      method: 'POST',
      headers: { authorization: `Bearer ${botToken}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ view_id: viewId, view }),
    });
    const answer = z.object({ ok: z.boolean(), error: z.string().optional() }).parse(await response.body.json());
    if (!answer.ok) throw new Error(`Slack refused the view the app answered with: ${answer.error ?? 'unknown'}`);
  }

  async messages(channel?: string): Promise<SlackMessage[]> {
    const query = channel ? `?${new URLSearchParams({ channel })}` : '';
    return messagesSchema.parse(await this.call('slack', 'GET', `/_sandbox/messages${query}`));
  }

  /** What reached any fake after entry `since`. */
  async journal(since = 0): Promise<JournalEntry[]> {
    return journalSchema.parse(await this.call('slack', 'GET', `/_sandbox/calls?service=all&since=${since}`));
  }

  private async call(fake: keyof SendSettings['fakes'], method: 'GET' | 'POST', path: string, body?: unknown) {
    const base = this.fakes[fake];
    const response = await request(`${base}${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    }).catch((error: unknown) => {
      throw new Error(`The sandbox does not answer at ${base} (is \`npm run sandbox\` running?): ${String(error)}`);
    });
    const json: unknown = await response.body.json();
    if (response.statusCode !== 200) {
      const reason = z.object({ error: z.string() }).safeParse(json);
      throw new Error(reason.success ? reason.data.error : `${method} ${path} answered ${response.statusCode}`);
    }
    return json;
  }
}
