// The reference: a bare Bolt app with the same receiver and options as ours, that only acknowledges
// the same requests. What our app costs on top of Bolt is the difference between the two.
import { App, LogLevel, type ViewSubmitAction } from '@slack/bolt';
import { SlackReceiver } from '../src/slack/receiver/slack-receiver.js';

const app = new App({
  token: process.env.SLACK_BOT_TOKEN ?? '',
  // Ours: signatures, sizes and payload shapes checked before Bolt sees a request.
  receiver: new SlackReceiver({
    signingSecret: process.env.SLACK_SIGNING_SECRET ?? '',
    routes: [{ method: 'GET', path: '/healthz', handler: (_req, res) => res.writeHead(200).end('{}') }],
  }),
  botId: 'B0BENCH01',
  botUserId: 'U0BENCH01',
  logLevel: LogLevel.ERROR,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL ?? '', retryConfig: { retries: 0 } },
});
app.command('/qm', async ({ ack }) => {
  await ack();
});
app.view<ViewSubmitAction>('qm_comment', async ({ ack }) => {
  await ack();
});
await app.start(Number(process.env.PORT ?? 3100));
