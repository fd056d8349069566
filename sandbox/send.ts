// `npm run sandbox:send -- <what>`: sends the app what Slack would send when a person acts, signed as
// Slack signs it, then shows what the app did at the fakes. See USAGE, and docs/development.md "The sandbox in detail".
import { z } from 'zod';
import { SlackSender, type SlackSendResult } from '../test/helpers/slack-requests.js';
import { describeView } from './describe-view.js';
import { formatEntry } from './journal.js';
import { type Names, renderMessageBody } from './render-blocks.js';
import { SandboxClient } from './sandbox-client.js';
import { parseSendSettings, type SendSettings } from './send-settings.js';
import { changedMessages, describeMessage, worldNames } from './show-slack.js';
import {
  blockAction,
  DEFAULT_CHANNEL,
  event,
  findPerson,
  messageShortcut,
  type SlackContext,
  slashCommand,
  submitView,
} from './slack-actions.js';
import { SANDBOX_WORLD } from './world.js';

const USAGE = `npm run sandbox:send -- <what> [options]
  command "<text>"             /qm <text>, e.g. command "2a86789e-c84d-4c19-95d4-1afff224055a 1:23", command help
  submit                       submits the newest modal as it shows now
      [--comment TEXT] [--category NAME|ID] [--set BLOCK_ID=VALUE]...   (empty selects get their first option)
  shortcut <message_ts>        "Comment on this call" on a message in #qa
  event app_home_opened        opens the Home tab
  event link_shared [ts]       the links of a message in #qa are posted (previews)
  action <action_id> [--value V]   clicks a button the app showed (newest message, Home tab, or modal)
Options: --as <handle|user id> (default rita)   --channel <id> (default ${DEFAULT_CHANNEL})
  --wait <ms> (default 2000: how long to collect what the app did next)
  --env-file <path> (default .env.sandbox: where the sandbox and the app are)   --app <url of /slack/events>`;

async function act(settings: SendSettings, ctx: SlackContext): Promise<{ label: string; result: SlackSendResult }> {
  const [what, ...args] = settings.positionals;
  const who = `as @${ctx.actor.handle}`;
  switch (what) {
    case 'command': {
      const text = args.join(' ');
      return { label: `/qm ${text} ${who} in ${ctx.channelId}`, result: await slashCommand(ctx, text) };
    }
    case 'submit': {
      const entered: Record<string, string> = {};
      for (const pair of settings.fields) {
        const at = pair.indexOf('=');
        if (at < 1) throw new Error(`--set takes BLOCK_ID=VALUE, not ${pair}`);
        entered[pair.slice(0, at)] = pair.slice(at + 1);
      }
      if (settings.comment !== undefined) entered.comment = settings.comment;
      if (settings.category !== undefined) entered.category = settings.category;
      const { view, result } = await submitView(ctx, entered);
      return { label: `submit of ${view.id} (${view.callback_id}) ${who}`, result };
    }
    case 'shortcut': {
      const [ts] = args;
      if (!ts) throw new Error('shortcut takes the message ts, e.g. shortcut 1764150000.000100');
      return { label: `shortcut "Comment on this call" on ${ts} ${who}`, result: await messageShortcut(ctx, ts) };
    }
    case 'event': {
      const [name, arg] = args;
      if (!name) throw new Error('event takes a name: app_home_opened or link_shared');
      return { label: `event ${name} ${who}`, result: await event(ctx, name, arg) };
    }
    case 'action': {
      const [actionId] = args;
      if (!actionId) throw new Error('action takes an action_id, e.g. action qm_retry');
      return { label: `click on ${actionId} ${who}`, result: await blockAction(ctx, actionId, settings.value) };
    }
    default:
      throw new Error(what ? `Unknown: ${what}\n${USAGE}` : USAGE);
  }
}

const ackSchema = z.object({
  response_action: z.string(),
  errors: z.record(z.string(), z.string()).optional(),
  view: z.record(z.string(), z.unknown()).optional(),
});

/** A message in the acknowledgement (a slash command's reply), as Slack shows it. */
const ackMessageSchema = z.looseObject({
  text: z.string().optional(),
  blocks: z.array(z.unknown()).optional(),
  response_type: z.string().optional(),
});

function describeAck(result: SlackSendResult, names: Names, actor: string): string {
  if (result.text === '') return `${result.status} (acknowledged, empty body)`;
  const ack = ackSchema.safeParse(result.json);
  if (!ack.success) {
    const message = ackMessageSchema.safeParse(result.json);
    if (!message.success || (message.data.text === undefined && message.data.blocks === undefined)) {
      return `${result.status} ${result.text}`;
    }
    const who = message.data.response_type === 'in_channel' ? 'everyone in the channel sees' : `only @${actor} sees`;
    const lines = renderMessageBody(message.data, names).map((line) => `\n    ${line}`);
    return `${result.status} with a reply ${who}:${lines.join('')}`;
  }
  const { response_action: action, errors, view } = ack.data;
  if (errors) {
    const lines = Object.entries(errors).map(([block, error]) => `\n    ${block}: ${error}`);
    return `${result.status} response_action=${action}, beside the fields:${lines.join('')}`;
  }
  const becomes = view
    ? `, the modal becomes:\n${describeView({ id: '(same view)', callback_id: '', ...view }, names)}`
    : '';
  return `${result.status} response_action=${action}${becomes}`;
}

async function main(): Promise<number> {
  const settings = parseSendSettings(process.argv.slice(2));
  if (settings.help || settings.positionals.length === 0) {
    console.log(USAGE);
    return 0;
  }
  const client = new SandboxClient(settings.fakes);
  const ctx: SlackContext = {
    client,
    sender: new SlackSender({ url: settings.appUrl, signingSecret: settings.signingSecret }),
    actor: findPerson(settings.actor),
    channelId: settings.channel ?? DEFAULT_CHANNEL,
  };
  const names = worldNames(SANDBOX_WORLD);
  const before = (await client.journal()).at(-1)?.seq ?? 0;
  const messagesBefore = await client.messages();
  const { label, result } = await act(settings, ctx).catch((error: unknown) => {
    const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
    if (error instanceof Error && /ECONNREFUSED|fetch failed/.test(`${error.message}${cause}`)) {
      throw new Error(`The app does not answer at ${settings.appUrl} (is it running?)${cause}`);
    }
    throw error;
  });
  console.log(`→ ${label}\n← ${describeAck(result, names, ctx.actor.handle)}`);
  await new Promise((resolve) => setTimeout(resolve, settings.waitMs));
  const after = await client.journal(before);
  console.log(after.length > 0 ? 'Then, at the fakes:' : `Nothing reached the fakes within ${settings.waitMs} ms.`);
  for (const entry of after) console.log(`  ${formatEntry(entry)}`);
  const shown = (method: RegExp) => after.some((e) => method.test(e.request) && e.outcome.startsWith('ok'));
  if (shown(/^views\.(open|push|update)$/)) {
    console.log(`The modal now shows:\n${describeView(await client.view(), names)}`);
  }
  // A click may publish someone else's Home tab too (the agent's, when a reviewer settles a dispute).
  const homes = new Set(
    after
      .filter((e) => e.request === 'views.publish' && e.outcome.startsWith('ok'))
      .flatMap((e) => formatEntry(e).match(/user_id=(U[A-Z0-9]+)/)?.[1] ?? []),
  );
  for (const userId of homes) {
    const whose = userId === ctx.actor.userId ? 'The Home tab' : `The Home tab of @${names.user(userId) ?? userId}`;
    console.log(`${whose} now shows:\n${describeView(await client.view({ home: userId }), names)}`);
  }
  const changed = changedMessages(messagesBefore, await client.messages());
  if (changed.length > 0) console.log('In Slack:');
  for (const message of changed) {
    const edited = messagesBefore.some((m) => m.channel === message.channel && m.ts === message.ts);
    console.log(describeMessage(message, names, edited));
  }
  return result.status === 200 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
