/** Starts the fake Slack, Flex and TaskRouter APIs seeded with a world, and the settings that point the app at them. */
import { FakeFlexApi } from '../fakes/fake-flex-api.js';
import { FakeSlackApi, type RecordedCall } from '../fakes/fake-slack-api.js';
import { FakeTaskRouterApi } from '../fakes/fake-taskrouter-api.js';
import type { RequestInterceptor } from '../fakes/serve.js';
import type { SocketModeOptions } from '../fakes/slack/socket-mode.js';
import type { World } from './world.js';

type FakeName = 'slack' | 'flex' | 'taskRouter';

export interface FakesOptions {
  /** Also start TaskRouter, on the same Twilio account as Flex, with the world's workers. */
  taskRouter?: boolean;
  /** Fixed ports (0 or left out: free ones). */
  ports?: Partial<Record<FakeName, number>>;
  intercept?: Partial<Record<FakeName, RequestInterceptor>>;
  /** The fake Slack's clock (ms). */
  slackNow?: () => number;
  /** Each Slack Web API call as it is answered, which the fake Slack then does not keep (see `FakeSlackOptions`). */
  onSlackCall?: (call: RecordedCall) => void;
  /** Slack also offers Socket Mode, to an app with this app-level token (see `fakes/slack/socket-mode.ts`). */
  socketMode?: Omit<SocketModeOptions, 'appId'>;
}

export interface Fakes {
  slack: FakeSlackApi;
  flex: FakeFlexApi;
  taskRouter: FakeTaskRouterApi | undefined;
  close(): Promise<void>;
}

export async function startFakes(world: World, options: FakesOptions = {}): Promise<Fakes> {
  const { ports = {}, intercept = {} } = options;
  const slack = await FakeSlackApi.start({
    botToken: world.bot.token,
    teamId: world.team.id,
    teamDomain: world.team.domain,
    botUserId: world.bot.userId,
    botId: world.bot.botId,
    scopes: world.bot.scopes,
    ...(ports.slack !== undefined ? { port: ports.slack } : {}),
    ...(intercept.slack ? { intercept: intercept.slack } : {}),
    ...(options.slackNow ? { now: options.slackNow } : {}),
    ...(options.onSlackCall ? { onCall: options.onSlackCall } : {}),
    ...(options.socketMode ? { socketMode: options.socketMode } : {}),
  });
  const flex = await FakeFlexApi.start({
    ...(world.twilio ? { accountSid: world.twilio.accountSid, authToken: world.twilio.authToken } : {}),
    ...(ports.flex !== undefined ? { port: ports.flex } : {}),
    ...(intercept.flex ? { intercept: intercept.flex } : {}),
  });
  const taskRouter = options.taskRouter
    ? await FakeTaskRouterApi.start({
        accountSid: flex.accountSid,
        authToken: flex.authToken,
        ...(world.twilio ? { workspaceSid: world.twilio.workspaceSid } : {}),
        ...(ports.taskRouter !== undefined ? { port: ports.taskRouter } : {}),
        ...(intercept.taskRouter ? { intercept: intercept.taskRouter } : {}),
      })
    : undefined;

  flex.setCommentCategories(world.categories);
  for (const segment of world.segments) flex.addSegment(segment);
  if (world.scorecards) flex.setScorecardCatalog(world.scorecards);
  for (const person of world.people) {
    slack.addUser({
      id: person.userId,
      name: person.handle,
      realName: person.name,
      email: person.email,
      teamId: world.team.id,
    });
  }
  for (const channel of world.channels) slack.addChannel(channel);
  for (const { channel, ...message } of world.messages ?? []) slack.addMessage(channel, message);
  taskRouter?.setWorkers(
    world.people.flatMap((person) =>
      person.workerSid
        ? [
            FakeTaskRouterApi.worker(
              {
                email: person.email,
                full_name: person.name,
                ...(person.agentId ? { agent_id: person.agentId } : {}),
                ...(person.teamName ? { team_name: person.teamName } : {}),
              },
              person.workerSid,
            ),
          ]
        : [],
    ),
  );

  return {
    slack,
    flex,
    taskRouter,
    async close() {
      await slack.close();
      await flex.close();
      await taskRouter?.close();
    },
  };
}

/** The settings an operator would give the app to run it against these fakes (database and port aside). */
export function fakeServiceEnv(world: World, fakes: Fakes): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: world.bot.token,
    SLACK_SIGNING_SECRET: world.signingSecret,
    SLACK_API_URL: fakes.slack.apiUrl,
    // The fake's response_urls are on its own origin, not hooks.slack.com.
    SLACK_RESPONSE_URL_ORIGINS: new URL(fakes.slack.apiUrl).origin,
    SLACK_BOT_ID: world.bot.botId,
    SLACK_BOT_USER_ID: world.bot.userId,
    TWILIO_ACCOUNT_SID: fakes.flex.accountSid,
    TWILIO_AUTH_TOKEN: fakes.flex.authToken,
    FLEX_API_BASE_URL: fakes.flex.baseUrl,
    ...(fakes.taskRouter
      ? { TASKROUTER_API_BASE_URL: fakes.taskRouter.baseUrl, TASKROUTER_WORKSPACE_SID: fakes.taskRouter.workspaceSid }
      : {}),
  };
}
