/** The `/_sandbox/` routes of each fake: what reached it, and (Slack) what a person's client would hold. */
import { z } from 'zod';
import type { FakeFlexApi } from '../test/fakes/fake-flex-api.js';
import type { FakeSlackApi } from '../test/fakes/fake-slack-api.js';
import { journalRoute, RouteError, type Routes } from './front-door.js';
import type { Journal } from './journal.js';

const triggerRequest = z.object({ view_id: z.string().optional() });
const responseUrlRequest = z.object({ channel: z.string().optional(), user: z.string().optional() });

/** The id of the view the newest successful call of `method` returned (optionally for one user's Home). */
function newestViewId(slack: FakeSlackApi, method: string | string[], userId?: string): string {
  const methods = Array.isArray(method) ? method : [method];
  const call = slack
    .calls()
    .findLast(
      (c) => methods.includes(c.method) && c.result.ok === true && (userId === undefined || c.args.user_id === userId),
    );
  const view = call?.result.view as { id?: unknown } | undefined;
  if (typeof view?.id !== 'string') throw new RouteError(`Slack has no view from ${methods.join(' or ')} yet`);
  return view.id;
}

export function slackRoutes(slack: () => FakeSlackApi, journal: Journal): Routes {
  return {
    'GET /_sandbox/calls': journalRoute(journal, 'slack'),
    'GET /_sandbox/messages': ({ query }) => {
      const channel = query.get('channel');
      return slack()
        .allMessages()
        .filter((message) => !channel || message.channel === channel);
    },
    'GET /_sandbox/responses': () => slack().allResponsePosts(),
    /**
     * The newest modal as it shows now (opened, or pushed on top of another: the view on top is what the
     * person sees); `?id=V…` one view; `?home=U…` that person's Home tab.
     */
    'GET /_sandbox/view': ({ query }) => {
      const fake = slack();
      const home = query.get('home');
      const id =
        query.get('id') ??
        (home ? newestViewId(fake, 'views.publish', home) : newestViewId(fake, ['views.open', 'views.push']));
      try {
        return fake.currentView(id);
      } catch {
        throw new RouteError(`Slack has no view ${id}`);
      }
    },
    /** A trigger as Slack puts in a command or interaction (3 s, once). */
    'POST /_sandbox/triggers': ({ body }) => {
      const { view_id } = triggerRequest.parse(body);
      return { trigger_id: slack().issueTriggerId(view_id ? { viewId: view_id } : {}) };
    },
    /** A response_url bound to where the command ran. */
    'POST /_sandbox/response-urls': ({ body }) => {
      const { channel, user } = responseUrlRequest.parse(body);
      return {
        response_url: slack().newResponseUrl({
          ...(channel ? { channel } : {}),
          ...(user ? { userId: user } : {}),
        }),
      };
    },
  };
}

export function flexRoutes(flex: () => FakeFlexApi, journal: Journal): Routes {
  return {
    'GET /_sandbox/calls': journalRoute(journal, 'flex'),
    'GET /_sandbox/comments': () => flex().comments,
    /** The scorecard answers Flex holds (`/qm score`). */
    'GET /_sandbox/answers': () => flex().scorecards.answers,
  };
}

export function taskRouterRoutes(journal: Journal): Routes {
  return { 'GET /_sandbox/calls': journalRoute(journal, 'taskrouter') };
}
