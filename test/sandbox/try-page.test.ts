/**
 * `npm run try` as a person uses it: started with one command, clicked through in a real (headless)
 * Chromium, stopped with Ctrl-C. What the page sent the app is checked where it landed: in the fake Flex.
 * Skipped, with the reason, where no Chromium is installed (TRY_CHROMIUM or /usr/bin/chromium).
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { request } from 'undici';
import { MESSAGES, SANDBOX_WORLD, SEGMENTS } from '../../sandbox/world.js';
import { type Browser, findChromium, launchChromium } from '../helpers/chromium.js';
import { eventually } from '../helpers/test-app.js';
import { TryPage } from '../helpers/try-page.js';

const chromiumPath = findChromium();
const person = (handle: string) => {
  const found = SANDBOX_WORLD.people.find((p) => p.handle === handle);
  if (!found) throw new Error(`No ${handle} in the sandbox's world`);
  return found.userId;
};

interface FlexComment {
  segment_id: string;
  comment: { comment: string; category: { name: string } };
}

describe('npm run try: the page that plays Slack, in a real browser', {
  skip: chromiumPath ? false : "no Chromium found: install Debian's chromium or set TRY_CHROMIUM to run this test",
}, () => {
  let child: ChildProcess;
  let output = '';
  let exited: Promise<number | null>;
  let pageUrl = '';
  let flexUrl = '';
  let browser: Browser;
  let tryPage: TryPage;

  const flexComments = async (): Promise<FlexComment[]> => {
    const response = await request(`${flexUrl}/_sandbox/comments`);
    return (await response.body.json()) as FlexComment[];
  };

  before(async () => {
    child = spawn('npm', ['run', 'try', '--', '--port', '0'], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    await eventually(() => {
      assert.equal(child.exitCode, null, `npm run try exited early:\n${output}`);
      pageUrl = /^ {2}(http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(output)?.[1] ?? '';
      flexUrl = /Fake Flex (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] ?? '';
      assert.ok(pageUrl && flexUrl, 'the page URL is printed');
    }, 120_000);
    browser = await launchChromium(chromiumPath ?? '');
    tryPage = await TryPage.open(browser.context, pageUrl, 'rita');
  });

  after(async () => {
    await browser?.close();
    if (child?.pid && child.exitCode === null && child.signalCode === null) process.kill(-child.pid, 'SIGKILL');
  });

  it('/qm opens the comment form; posting it reaches Flex and the form says so', async () => {
    await tryPage.type(`/qm ${SEGMENTS.billing} 1:23`);
    await tryPage.modal('Alex Agent').waitFor();
    await tryPage.pick('Category', 'Compliance');
    await tryPage.write('Comment', 'Clear and kind, from the browser');
    await tryPage.submitModal();
    await tryPage.modal('Your comment is in Flex').waitFor();
    const [comment] = await eventually(async () => {
      const held = await flexComments();
      assert.equal(held.length, 1);
      return held;
    });
    assert.equal(comment?.comment.comment, 'Clear and kind, from the browser');
    assert.equal(comment?.comment.category.name, 'Compliance');
    assert.equal(comment?.segment_id, SEGMENTS.billing);
    await tryPage.closeModal();
    // The private confirmation in the channel, only Rita sees.
    await tryPage
      .messages(/posted a QM comment/)
      .filter({ hasText: 'Only visible to you' })
      .waitFor();
  });

  it('the message shortcut comments on the call a message links to, confirmed in its thread', async () => {
    await tryPage.shortcut(MESSAGES.oneCall, 'Comment on this call');
    await tryPage.modal('Alex Agent').waitFor();
    await tryPage.pick('Category', 'Good for Training');
    await tryPage.write('Comment', 'Lovely opening, from the shortcut');
    await tryPage.submitModal();
    await tryPage.modal('Your comment is in Flex').waitFor();
    await tryPage.closeModal();
    const thread = await tryPage.openThreadOf(MESSAGES.oneCall);
    await thread
      .locator('.message', { hasText: /QM comment/ })
      .first()
      .waitFor();
    await eventually(async () => {
      const held = await flexComments();
      assert.ok(
        held.some((c) => c.comment.comment === 'Lovely opening, from the shortcut'),
        "held.some((c) => c.comment.comment === 'Lovely opening, from the shortcut')",
      );
    });
  });

  it('a pasted call link unfurls, and its Comment button opens the form for that call', async () => {
    const link = `https://analytics.ytica.com/player/segment/${SEGMENTS.refund}?t=12`;
    await tryPage.type(`Worth a listen: ${link}`);
    const preview = tryPage.page.locator('#conversation .unfurl').filter({ hasText: 'Refunds' });
    await preview.getByRole('button', { name: 'Comment' }).click();
    await tryPage.modal('Jo Customer').waitFor();
    await tryPage.pick('Category', 'Needs Coaching');
    await tryPage.write('Comment', 'Check the refund policy, from the preview');
    await tryPage.submitModal();
    await tryPage.modal('Your comment is in Flex').waitFor();
    await tryPage.closeModal();
    await eventually(async () => {
      const held = await flexComments();
      const comment = held.find((c) => c.comment.comment === 'Check the refund policy, from the preview');
      assert.equal(comment?.segment_id, SEGMENTS.refund);
    });
  });

  it('someone the app does not know is told why they cannot comment, and nothing reaches Flex', async () => {
    const before = (await flexComments()).length;
    await tryPage.beAs(person('nina'));
    await tryPage.type(`/qm ${SEGMENTS.renewal}`);
    await tryPage
      .messages(/can’t leave QM comments/)
      .filter({ hasText: 'Only visible to you' })
      .waitFor();
    assert.equal(await tryPage.modal().count(), 0, 'no form opens for her');
    assert.equal((await flexComments()).length, before);
  });

  it('Ctrl-C stops the page, the app and the fakes with exit code 0, and removes the throwaway database', async () => {
    const dir = /throwaway database in (\S+)/.exec(output)?.[1];
    assert.ok(dir && existsSync(dir), `the throwaway folder is there while it runs:\n${output}`);
    process.kill(-(child.pid ?? 0), 'SIGINT');
    assert.equal(await exited, 0, output);
    assert.equal(existsSync(dir), false, 'the throwaway database is gone');
  });
});
