/** The sandbox world in a few lines, printed at start so a person knows whom and what to try. */
import { DEFAULT_ENV_FILE } from './send-settings.js';
import { DEFAULT_ACTOR, MESSAGES, SANDBOX_WORLD, SEGMENTS } from './world.js';

export function worldGuide(seededDatabaseUrl: string | undefined, envFile: string | undefined): string {
  const world = SANDBOX_WORLD;
  const people = world.people.map((p) => {
    const role = p.role ? `role ${p.role}` : 'unknown to the app';
    const agent = p.agentId ? `, agent ${p.agentId}` : '';
    const actor = p.handle === DEFAULT_ACTOR ? '  ← sandbox:send acts as her unless --as' : '';
    return `    ${p.userId} @${p.handle.padEnd(5)} ${p.name.padEnd(14)} ${p.email.padEnd(30)} ${role}${agent}${actor}`;
  });
  const channels = world.channels.map(
    (c) => `    ${c.id} #${c.name.padEnd(8)} ${c.isMember === false ? 'the bot is not in it' : 'the bot is in it'}`,
  );
  const calls = world.segments.map(
    (s) => `    ${s.segment_id}  ${s.agent_name} (${s.agent_team_name}) · queue ${s.queue} · with ${s.customer_name}`,
  );
  // sandbox:send finds the sandbox and the app through .env.sandbox unless told another file.
  const send = `npm run sandbox:send --${envFile && envFile !== DEFAULT_ENV_FILE ? ` --env-file ${envFile}` : ''}`;
  return [
    `Sandbox world: Slack workspace ${world.team.id} (${world.team.domain}), bot ${world.bot.userId}`,
    '  People (also TaskRouter workers, same emails, except Nina):',
    ...people,
    '  Channels (announcements and disputes go to #qm-feed: NOTIFY_CHANNEL; agents get their feedback by DM):',
    ...channels,
    '  Calls in Flex Insights:',
    ...calls,
    `  Comment categories: ${world.categories.map((c) => c.name).join(', ')}`,
    `  Messages in #qa: ${MESSAGES.oneCall} (one call link), ${MESSAGES.twoCalls} (two)`,
    seededDatabaseUrl
      ? `  Database ${seededDatabaseUrl}: migrated, with the categories and the people's roles above`
      : '  Database: left alone (--no-seed)',
    '',
    envFile
      ? `Start the app with the settings below (npx dotenv run -f ${envFile} -- npm start), then in another terminal:`
      : 'Start the app with the settings below (in its environment, or in .env), then in another terminal:',
    `  ${send} command "${SEGMENTS.billing} 1:23"`,
    `  ${send} submit --comment "Clear and kind"`,
    `  ${send} shortcut ${MESSAGES.oneCall}`,
    `  ${send} event app_home_opened --as ada`,
    `  ${send} action feedback_acknowledge --as alex     # or feedback_dispute: see docs/agent-feedback.md`,
    '',
  ].join('\n');
}
