import { startTry } from './sandbox/try/start-try.js';
import { launchChromium } from './test/helpers/chromium.js';
import { TryPage } from './test/helpers/try-page.js';
const run = await startTry({ port: 0 });
const b = await launchChromium('/usr/bin/chromium');
let p: TryPage | undefined;
try {
  p = await TryPage.open(b.context, run.url, 'nina');
  p.page.on('pageerror', (e) => console.log('pageerror', e.message));
  p.page.setDefaultTimeout(10000);
  await p.type('/qm');
  await p.messages(/can’t/).waitFor();
  await p.type('/qm help');
  await p.messages(/Copy link/).waitFor();
  await p.type('/nope');
  await p.messages(/not a valid command/).waitFor();
  await p.page.screenshot({ path: '/tmp/n1.png' });
  await p.beAs('U0ADMIN01');
  const home = await p.openHome();
  await home.getByRole('button', { name: 'Sync from Flex' }).click();
  await new Promise((r) => setTimeout(r, 2000));
  await p.page.screenshot({ path: '/tmp/n2.png' });
} catch (e) { console.log(e); await p?.page?.screenshot({ path: '/tmp/err.png' }); }
finally {
  await b.close();
  await run.close();
}
