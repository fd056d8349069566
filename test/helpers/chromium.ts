/**
 * A headless Chromium for tests and scripts that click a real page (the try page): Debian's `chromium`
 * driven by playwright-core, which downloads no browser of its own. TRY_CHROMIUM names another binary.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** The Chromium to use, or undefined when none is installed. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.TRY_CHROMIUM) return existsSync(env.TRY_CHROMIUM) ? env.TRY_CHROMIUM : undefined;
  return CANDIDATES.find((path) => existsSync(path));
}

/**
 * Flags for a quiet, offline, throwaway browser: no sandbox (CI runs as root), no GPU, nothing fetched
 * from Google in the background, a fresh profile each time.
 */
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(
  executablePath: string,
  viewport = { width: 1440, height: 900 },
): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'flex-qm-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: ARGS,
    viewport,
    // Dates in the page are drawn in the reader's time zone; fixed, so screenshots do not depend on the machine.
    timezoneId: 'UTC',
    locale: 'en-US',
  });
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
