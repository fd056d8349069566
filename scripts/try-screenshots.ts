/**
 * `npm run try:screenshots`: regenerates the try page's screenshots in docs/images/ (the modal, the
 * confirmation in a thread, the Home tab) by clicking through `npm run try` in headless Chromium, as a
 * person would. Needs Chromium (TRY_CHROMIUM or /usr/bin/chromium).
 */
import { join } from 'node:path';
import { startTry } from '../sandbox/try/start-try.js';
import { MESSAGES, SEGMENTS } from '../sandbox/world.js';
import { findChromium, launchChromium } from '../test/helpers/chromium.js';
import { TryPage } from '../test/helpers/try-page.js';

const OUT = join(import.meta.dirname, '..', 'docs', 'images');

const chromiumPath = findChromium();
if (!chromiumPath) {
  console.error('No Chromium found: install it (apt-get install chromium) or set TRY_CHROMIUM to its path.');
  process.exit(1);
}

const run = await startTry({ port: 0, say: (line) => console.log(line) });
const browser = await launchChromium(chromiumPath, { width: 1280, height: 760 });
try {
  const rita = await TryPage.open(browser.context, run.url, 'rita');
  const shot = async (name: string) => {
    await rita.page.mouse.move(0, 0);
    await rita.page.screenshot({ path: join(OUT, name) });
    console.log(`docs/images/${name}`);
  };

  await rita.type(`/qm ${SEGMENTS.billing} 1:23`);
  await rita.modal('Alex Agent').waitFor();
  await rita.pick('Category', 'Compliance');
  await rita.write('Comment', 'Greeted Casey by name and explained the bill clearly. Offer the payment plan earlier.');
  await shot('try-modal.png');
  await rita.submitModal();
  await rita.modal('Your comment is in Flex').waitFor();
  await rita.closeModal();

  await rita.shortcut(MESSAGES.oneCall, 'Comment on this call');
  await rita.modal('Alex Agent').waitFor();
  await rita.pick('Category', 'Good for Training');
  await rita.write('Comment', 'A model opening: use this call for new starters.');
  await rita.submitModal();
  await rita.modal('Your comment is in Flex').waitFor();
  await rita.closeModal();
  const thread = await rita.openThreadOf(MESSAGES.oneCall);
  await thread
    .locator('.message', { hasText: /QM comment/ })
    .first()
    .waitFor();
  await shot('try-thread.png');

  const home = await rita.openHome();
  await home.getByText('A model opening').first().waitFor();
  await shot('try-home.png');
} finally {
  await browser.close();
  await run.close();
}
