import { readFileSync } from 'node:fs';
import { z } from 'zod';

const OWN_PACKAGE = 'flex-qm-slack';
const packageJson = z.object({ name: z.string(), version: z.string() }).loose();

/** `flex-qm-slack/<version> node/<version>`, so Twilio's logs can tell our requests apart. */
export function defaultUserAgent(): string {
  return `${OWN_PACKAGE}/${ownVersion()} node/${process.version}`;
}

let cached: string | undefined;

// The package.json sits two levels up from src/flex and three from dist/src/flex; look upwards for it.
function ownVersion(): string {
  if (cached !== undefined) return cached;
  cached = 'unknown';
  for (let depth = 1; depth <= 4; depth += 1) {
    try {
      const url = new URL(`${'../'.repeat(depth)}package.json`, import.meta.url);
      const parsed = packageJson.safeParse(JSON.parse(readFileSync(url, 'utf8')));
      if (parsed.success && parsed.data.name === OWN_PACKAGE) {
        cached = parsed.data.version;
        break;
      }
    } catch {
      // Not there (or not readable): keep looking further up.
    }
  }
  return cached;
}
