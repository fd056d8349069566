/**
 * The sandbox's world: one Slack workspace whose people are also Flex workers (matched by email), a QA
 * channel with calls posted in it, an announcements channel, three comment categories and three calls.
 * Everything is fixed, so the settings the sandbox prints stay valid from one run to the next.
 */
import { STANDARD_SCORECARDS } from '../test/fakes/flex/scorecard-catalog.js';
import type { World } from '../test/helpers/world.js';

export const SEGMENTS = {
  billing: '2a86789e-c84d-4c19-95d4-1afff224055a',
  renewal: 'c556b73a-b579-4acb-ae8b-326da41aa79e',
  refund: '618162bc-cf35-4283-a980-32d8f7005d2b',
} as const;

const AGENTS = { alex: '9c556fa6-6f3a-4912-bd77-5526f09b0c23', sam: '5088ffdf-f261-4e7c-a3ef-0970b5279318' } as const;

export const QA_CHANNEL = 'C0QA00001';
export const FEED_CHANNEL = 'C0QMFEED1';

/** A Flex Insights player link to a call, at a time in the recording. */
export const callLink = (segment: string, seconds: number) =>
  `https://analytics.ytica.com/player/segment/${segment}?t=${seconds}`;

/** Messages already in #qa, for the message shortcut: one call link, then two. */
export const MESSAGES = {
  oneCall: '1764150000.000100',
  twoCalls: '1764150000.000200',
} as const;

export const SANDBOX_WORLD: World = {
  signingSecret: 'sandbox-signing-secret-not-for-production',
  team: { id: 'T0SANDBX1', domain: 'sandbox' },
  bot: {
    token: 'xoxb-sandbox-bot-token',
    userId: 'U0QMBOT01',
    botId: 'B0QMBOT01',
    // What manifest.yml asks for.
    scopes: [
      'commands',
      'channels:read',
      'chat:write',
      'files:write',
      'groups:read',
      'links:read',
      'links:write',
      'users:read',
      'users:read.email',
      'usergroups:read',
    ],
  },
  people: [
    {
      userId: 'U0ADMIN01',
      handle: 'ada',
      name: 'Ada Admin',
      email: 'ada.admin@sandbox.example',
      role: 'admin',
      workerSid: 'WKda17da92526b7fb11085dc74e5cba218',
    },
    {
      userId: 'U0REVIEW1',
      handle: 'rita',
      name: 'Rita Reviewer',
      email: 'rita.reviewer@sandbox.example',
      role: 'reviewer',
      workerSid: 'WK29fa5a97ee82c0098951821265ab2935',
    },
    {
      userId: 'U0AGENT01',
      handle: 'alex',
      name: 'Alex Agent',
      email: 'alex.agent@sandbox.example',
      role: 'none',
      agentId: AGENTS.alex,
      teamName: 'Billing',
      workerSid: 'WKe126318300f7c3c73c369d290adea156',
    },
    {
      userId: 'U0AGENT02',
      handle: 'sam',
      name: 'Sam Agent',
      email: 'sam.agent@sandbox.example',
      role: 'none',
      agentId: AGENTS.sam,
      teamName: 'Renewals',
      workerSid: 'WK49b4ab4ccaf6c82e1e7f4dbd2140d77e',
    },
    // In Slack only: not in Flex and unknown to the app, so /qm tells her how to get linked.
    { userId: 'U0NEWBIE1', handle: 'nina', name: 'Nina Newcomer', email: 'nina.newcomer@sandbox.example' },
  ],
  channels: [
    { id: QA_CHANNEL, name: 'qa', isMember: true },
    { id: FEED_CHANNEL, name: 'qm-feed', isMember: true },
    { id: 'C0GENERAL', name: 'general', isMember: false },
  ],
  messages: [
    {
      channel: QA_CHANNEL,
      ts: MESSAGES.oneCall,
      user: 'U0ADMIN01',
      text: `Could someone review Alex's billing call? <${callLink(SEGMENTS.billing, 95)}>`,
    },
    {
      channel: QA_CHANNEL,
      ts: MESSAGES.twoCalls,
      user: 'U0ADMIN01',
      text: `Two for this week: <${callLink(SEGMENTS.renewal, 30)}> and <${callLink(SEGMENTS.refund, 200)}>`,
    },
  ],
  categories: [
    { id: '9b53a051-9d9f-417a-a0cb-446c725bf004', name: 'Good for Training', sort: 1 },
    { id: '021fa5d2-f48b-4432-b0a7-7907910e366a', name: 'Compliance', sort: 2 },
    { id: '15892159-2969-411d-b33c-3492d7648d73', name: 'Needs Coaching', sort: 3 },
  ],
  segments: [
    {
      segment_id: SEGMENTS.billing,
      agent_id: AGENTS.alex,
      agent_name: 'Alex Agent',
      agent_team_name: 'Billing',
      queue: 'Support',
      customer_name: 'Casey Customer',
      date: '2026-11-24T09:12:00Z',
    },
    {
      segment_id: SEGMENTS.renewal,
      agent_id: AGENTS.sam,
      agent_name: 'Sam Agent',
      agent_team_name: 'Sales',
      queue: 'Renewals',
      customer_name: 'Robin Buyer',
      date: '2026-11-24T14:40:00Z',
    },
    {
      segment_id: SEGMENTS.refund,
      agent_id: AGENTS.alex,
      agent_name: 'Alex Agent',
      agent_team_name: 'Billing',
      queue: 'Refunds',
      customer_name: 'Jo Customer',
      date: '2026-11-25T11:05:00Z',
    },
  ],
  // A 30-question "Customer Experience" questionnaire with three answer-set types, for /qm score.
  scorecards: STANDARD_SCORECARDS,
  twilio: {
    accountSid: 'ACfede2366aec13d83399ed26d6ecd407c',
    authToken: '9c933cca48d709d5d4be2c41ecf85eb2',
    workspaceSid: 'WS3d142edbb490f626bda7749136ca8f20',
  },
};

/** Who sandbox:send acts as unless told otherwise. */
export const DEFAULT_ACTOR = 'rita';
