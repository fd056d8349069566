/**
 * A world to start the fakes and the database with: the Slack workspace and its people, what Flex
 * knows (categories, calls, workers) and who may comment. Tests, the bench and the sandbox each
 * describe theirs and start it the same way (see start-fakes.ts and seed-database.ts).
 */
import type { CommentTag, FakeScorecardCatalog, FakeSegment } from '../fakes/fake-flex-api.js';
import type { FakeChannel } from '../fakes/fake-slack-api.js';
import { STANDARD_SCORECARDS } from '../fakes/flex/scorecard-catalog.js';

export interface WorldPerson {
  /** Slack user id. */
  userId: string;
  /** Slack handle, e.g. `rita`. */
  handle: string;
  name: string;
  email: string;
  /** Mapped to a Flex identity with this role in the app's database; left out, the app does not know them. */
  role?: 'reviewer' | 'admin' | 'none';
  /** Their Flex Insights agent id, when their calls are reviewed. */
  agentId?: string;
  /** Their TaskRouter worker (`WK…`), when Flex has one for them. */
  workerSid?: string;
  /** Their team in Flex (the worker's `team_name` attribute), for the per-team digests. */
  teamName?: string;
}

export interface World {
  signingSecret: string;
  team: { id: string; domain: string };
  bot: { token: string; userId: string; botId: string; scopes: string[] };
  people: WorldPerson[];
  channels: FakeChannel[];
  /** Messages already in channels (for the message shortcut). */
  messages?: Array<{ channel: string; ts: string; user: string; text: string }>;
  /** Flex's comment tags, offered in the same order by the app. */
  categories: CommentTag[];
  segments: FakeSegment[];
  /** Flex's questionnaires (scorecards), questions and answer sets; none when left out. */
  scorecards?: FakeScorecardCatalog;
  /** Fixed Twilio account and TaskRouter workspace (so printed settings stay valid); random when left out. */
  twilio?: { accountSid: string; authToken: string; workspaceSid: string };
}

export const TEST_SIGNING_SECRET = 'test-signing-secret-0123456789abcdef';
export const TEST_BOT_TOKEN = 'xoxb-test-bot-token';
/** An app-level token, for Socket Mode (shaped like Slack's: xapp-1-<app id>-<number>-<hex>). */
export const TEST_APP_TOKEN = 'xapp-1-A0FLEXQM01-1234567890-0a1b2c3d4e5f60718293a4b5c6d7e8f9';
export const TEST_TEAM_ID = 'T0TEST001';
export const TEST_SEGMENT_ID = '0105be7a-9b87-51f1-8df8-aa74ddb9c4a7';
export const TEST_AGENT_ID = '583fcaa6-a4ef-5447-9077-900421e37a61';
export const TEST_CATEGORY = { id: '4b4e78e4-4f05-49e2-bf52-0973c5cde418', name: 'Good for Training' };
export const TEST_OTHER_CATEGORY = { id: '9c1b7e2a-0d3f-4a5b-8c6d-7e8f9a0b1c2d', name: 'Compliance' };
export const TEST_REVIEWER = { userId: 'U0REVIEW1', email: 'rita.reviewer@example.com', name: 'Rita Reviewer' };
export const TEST_CHANNEL = { id: 'C0QA00001', name: 'qa' };

/** The tests' world: one reviewer in #qa, two categories, one call of Alex Agent's. */
export const TEST_WORLD: World = {
  signingSecret: TEST_SIGNING_SECRET,
  team: { id: TEST_TEAM_ID, domain: 'acme' },
  bot: {
    token: TEST_BOT_TOKEN,
    userId: 'U0BOT0001',
    botId: 'B0BOT0001',
    scopes: [
      'channels:read',
      'chat:write',
      'commands',
      'files:write',
      'groups:read',
      'links:read',
      'links:write',
      'usergroups:read',
      'users:read',
      'users:read.email',
    ],
  },
  people: [{ ...TEST_REVIEWER, handle: 'rita', role: 'reviewer' }],
  channels: [{ ...TEST_CHANNEL, isMember: true }],
  categories: [
    { ...TEST_CATEGORY, sort: 1 },
    { ...TEST_OTHER_CATEGORY, sort: 2 },
  ],
  segments: [
    {
      segment_id: TEST_SEGMENT_ID,
      agent_id: TEST_AGENT_ID,
      agent_name: 'Alex Agent',
      agent_team_name: 'Billing',
      queue: 'Support',
      customer_name: 'Casey Customer',
      date: '2026-11-20T10:00:00Z',
    },
  ],
  scorecards: STANDARD_SCORECARDS,
};

/** Alex, the agent of TEST_SEGMENT_ID's call, linked to a Slack user: the feedback on their calls reaches them. */
export const TEST_AGENT = {
  userId: 'U0ALEX001',
  handle: 'alex',
  name: 'Alex Agent',
  email: 'alex.agent@example.com',
} as const;
/** A QM admin, and a reviewer who has nothing to do with Alex's feedback. */
export const TEST_ADMIN = {
  userId: 'U0ADMIN01',
  handle: 'ada',
  name: 'Ada Admin',
  email: 'ada.admin@example.com',
} as const;
export const TEST_STRANGER = {
  userId: 'U0OTTO001',
  handle: 'otto',
  name: 'Otto Other',
  email: 'otto.other@example.com',
} as const;
/** Where the tests' announcements and disputes go (NOTIFY_CHANNEL). */
export const TEST_QA_FEED = { id: 'C0QAFEED1', name: 'qa-feed' };

/** The tests' world with its agent linked to Slack, a QM admin and a stranger: the feedback loop's people. */
export const TEST_WORLD_WITH_AGENTS: World = {
  ...TEST_WORLD,
  people: [
    ...TEST_WORLD.people,
    { ...TEST_AGENT, role: 'none', agentId: TEST_AGENT_ID },
    { ...TEST_ADMIN, role: 'admin' },
    { ...TEST_STRANGER, role: 'reviewer' },
  ],
  channels: [...TEST_WORLD.channels, { ...TEST_QA_FEED, isMember: true }],
};
