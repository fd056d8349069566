import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LINK_ASKS_PER_WINDOW } from '../../src/domain/identities/link-requests.js';
import { qmCommand } from '../helpers/reviewer-story.js';
import { startTestApp, TEAM_ID, type TestApp } from '../helpers/test-app.js';

const ADMINS = ['U0ADMIN01', 'U0ADMIN02'];
const EVE = 'U0EVE0001';
const IDENTITIES = ['first@example.com', 'second@example.com'];
const asksIn = (t: TestApp, adminId: string) =>
  t.slack.messagesIn(adminId).filter((m) => /(asks|asked) to be linked/.test(m.text ?? ''));

describe('/qm link: one pending request per person, a rate limit, one answer', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    for (const [i, id] of ADMINS.entries()) {
      t.slack.addUser({ id, name: `admin${i}`, email: `admin${i}@example.com`, teamId: TEAM_ID });
      await t.prisma.identity.create({
        data: {
          email: `admin${i}@example.com`,
          flexUserName: `Admin ${i}`,
          role: 'admin',
          slackUserId: id,
          slackTeamId: TEAM_ID,
        },
      });
    }
    t.slack.addUser({ id: EVE, name: 'eve', email: 'eve@home.example', teamId: TEAM_ID });
    await t.prisma.identity.createMany({
      data: [
        ...IDENTITIES.map((email, i) => ({ email, flexUserName: `Person ${i}`, role: 'none' })),
        {
          email: 'taken@example.com',
          flexUserName: 'Taken',
          role: 'reviewer',
          slackUserId: 'U0TAKEN01',
          slackTeamId: TEAM_ID,
        },
      ],
    });
  });
  after(async () => {
    await t.close();
  });

  async function link(email: string): Promise<string> {
    const command = qmCommand(t, `link ${email}`, EVE);
    assert.equal((await t.sender.slashCommand(command)).status, 200);
    return String((await t.slack.waitForResponse(String(command.response_url))).body.text);
  }

  it('alternating two emails DMs each admin once, keeps one pending request, then stops taking asks', async () => {
    const answers: string[] = [];
    for (let i = 0; i < LINK_ASKS_PER_WINDOW; i += 1) answers.push(await link(IDENTITIES[i % 2] ?? ''));
    for (const admin of ADMINS)
      assert.equal(asksIn(t, admin).length, 1, `${admin} got one DM, not ${LINK_ASKS_PER_WINDOW}`);
    const pending = await t.prisma.linkRequest.findMany({ where: { slackUserId: EVE, status: 'pending' } });
    assert.equal(pending.length, 1, 'one pending request');
    // The one DM names the last email asked for.
    assert.match(asksIn(t, ADMINS[0] ?? '')[0]?.text ?? '', /first@example\.com/);
    const last = await link('second@example.com');
    assert.match(last, /asked to be linked 5 times within an hour/);
    assert.equal(asksIn(t, ADMINS[1] ?? '').length, 1);
    assert.match(asksIn(t, ADMINS[1] ?? '')[0]?.text ?? '', /first@example\.com/, 'the refused ask changed nothing');
    // Every answer before the limit was the same, whichever email.
    const same = new Set(answers.map((answer) => answer.replace(/\S+@example\.com/, 'EMAIL')));
    assert.equal(same.size, 1, [...same].join('\n'));
    // The limit is kept in the database (every instance counts the same asks).
    assert.equal(await t.prisma.linkAttempt.count({ where: { slackUserId: EVE } }), LINK_ASKS_PER_WINDOW + 1);
  });

  it('answers alike for an email of no identity, one linked to someone else, and one free to link', async () => {
    await t.prisma.linkAttempt.deleteMany();
    await t.prisma.linkRequest.deleteMany();
    const free = await link('first@example.com');
    const none = await link('nobody@example.com');
    const taken = await link('taken@example.com');
    const shape = (text: string, email: string) => text.replace(email, 'EMAIL');
    assert.equal(shape(none, 'nobody@example.com'), shape(free, 'first@example.com'));
    assert.equal(shape(taken, 'taken@example.com'), shape(free, 'first@example.com'));
  });
});
