import type { PrismaClient } from '../generated/prisma/client.js';
import { createSecretBox } from '../security/secret-box.js';

const SAMPLE = 5;
const HOW = 'SECRETS_KEY (in the environment or .env)';

/**
 * The database holds values sealed with SECRETS_KEY (people's Flex authorizations, OAuth installations'
 * tokens): without the key, or with another one, none can be opened, and the app would take comments it
 * can never send and tell every OAuth workspace it is not installed. So it refuses to start, naming the
 * setting. A few of the newest sealed values are tried; one that opens is enough (a key that opens one
 * opens all it sealed).
 * Returns the paragraph to refuse with, or undefined when the key fits (or nothing is sealed).
 */
export async function checkSealedSecrets(prisma: PrismaClient, key: Buffer | undefined): Promise<string | undefined> {
  const sealedIdentities = { flexAuthorizationSealed: { not: null } } as const;
  const sealedInstallations = { OR: [{ botTokenSealed: { not: null } }, { userTokenSealed: { not: null } }] };
  const [people, installations] = await Promise.all([
    prisma.identity.count({ where: sealedIdentities }),
    prisma.installation.count({ where: sealedInstallations }),
  ]);
  if (people + installations === 0) return undefined;
  const held = [
    people > 0 ? `the Flex authorizations of ${people} ${people === 1 ? 'person' : 'people'}` : undefined,
    installations > 0
      ? `the Slack tokens of ${installations} installation${installations === 1 ? '' : 's'}`
      : undefined,
  ]
    .filter(Boolean)
    .join(' and ');
  if (!key) {
    return `SECRETS_KEY is not set, but the database holds ${held}, sealed with it. Set ${HOW} to the key they were sealed with (the one this app ran with before), and start the app again. If that key is lost, the values cannot be recovered: people must link their Flex authorization again and workspaces must reinstall the app.`;
  }
  const [identityRows, installationRows] = await Promise.all([
    prisma.identity.findMany({
      where: sealedIdentities,
      select: { flexAuthorizationSealed: true },
      orderBy: { updatedAt: 'desc' },
      take: SAMPLE,
    }),
    prisma.installation.findMany({
      where: sealedInstallations,
      select: { botTokenSealed: true, userTokenSealed: true },
      orderBy: { updatedAt: 'desc' },
      take: SAMPLE,
    }),
  ]);
  const sealed = [
    ...identityRows.map((row) => row.flexAuthorizationSealed),
    ...installationRows.map((row) => row.botTokenSealed ?? row.userTokenSealed),
  ].filter((value): value is string => typeof value === 'string');
  const box = createSecretBox(key);
  const opens = sealed.some((value) => {
    try {
      box.open(value);
      return true;
    } catch {
      return false;
    }
  });
  if (opens) return undefined;
  return `SECRETS_KEY is not the key that sealed what the database holds (${held}): none of them opens with it. Set ${HOW} back to the key this app ran with before, and start the app again. If that key is lost, the values cannot be recovered: people must link their Flex authorization again and workspaces must reinstall the app.`;
}
