/**
 * The sandbox's fakes of Slack, Flex and TaskRouter, seeded with its world, each behind a front door
 * that journals what reaches it and serves the `/_sandbox/` routes. `npm run sandbox` and `npm run try`
 * both start them this way.
 */
import { type Fakes, startFakes } from '../test/helpers/start-fakes.js';
import { describeFlexRequest, describeSlackRequest, describeTwilioRequest } from './describe-requests.js';
import { frontDoor } from './front-door.js';
import { flexRoutes, slackRoutes, taskRouterRoutes } from './inspection.js';
import type { Journal } from './journal.js';
import { SANDBOX_WORLD } from './world.js';

export async function startSandboxFakes(
  journal: Journal,
  ports: { slack?: number; flex?: number; taskRouter?: number } = {},
): Promise<Fakes> {
  // The front doors run only once requests arrive, by when the fakes are up.
  let started: Fakes | undefined;
  const fakes = (): Fakes => {
    if (!started) throw new Error('The fakes are not up yet');
    return started;
  };
  started = await startFakes(SANDBOX_WORLD, {
    taskRouter: true,
    ports,
    intercept: {
      slack: frontDoor({
        service: 'slack',
        journal,
        routes: slackRoutes(() => fakes().slack, journal),
        describe: (req, res) => describeSlackRequest(fakes().slack, req, res),
      }),
      flex: frontDoor({
        service: 'flex',
        journal,
        routes: flexRoutes(() => fakes().flex, journal),
        describe: (req, res) => describeFlexRequest(fakes().flex, req, res),
      }),
      taskRouter: frontDoor({
        service: 'taskrouter',
        journal,
        routes: taskRouterRoutes(journal),
        describe: describeTwilioRequest,
      }),
    },
  });
  return started;
}
