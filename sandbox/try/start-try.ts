/**
 * Everything `npm run try` runs: the sandbox's fakes, a throwaway SQLite database seeded with the
 * sandbox's world, the real app against them, and the page that plays Slack. `close()` stops it all and
 * removes the database's folder. The browser test and the screenshot script start it the same way.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations } from '../../src/db/migrate.js';
import { openDatabase } from '../../src/db/prisma-client.js';
import { QuestionnaireRepository } from '../../src/db/repositories/questionnaire-repository.js';
import { createFlexClient } from '../../src/flex/flex-client.js';
import type { PrismaClient } from '../../src/generated/prisma/client.js';
import { freePort } from '../../test/helpers/app-process.js';
import { seedDatabase } from '../../test/helpers/seed-database.js';
import { SlackSender } from '../../test/helpers/slack-requests.js';
import type { Fakes } from '../../test/helpers/start-fakes.js';
import { sandboxAppEnv } from '../app-env.js';
import { Journal } from '../journal.js';
import { startSandboxFakes } from '../sandbox-fakes.js';
import { SANDBOX_WORLD } from '../world.js';
import { type AppChild, startAppChild } from './app-child.js';
import { readManifestFeatures } from './manifest-features.js';
import { PlayedSlack } from './played-slack.js';
import { startTryServer } from './try-server.js';

const ROOT = join(import.meta.dirname, '..', '..');

export interface TryRun {
  /** The page. */
  url: string;
  fakes: Fakes;
  app: AppChild;
  /** The throwaway folder holding the database. */
  dir: string;
  /** Stops the page, the app (SIGTERM) and the fakes, and removes the folder; resolves with the app's exit code. */
  close(): Promise<number | null>;
}

export async function startTry(options: { port: number; say?: (line: string) => void }): Promise<TryRun> {
  const say = options.say ?? (() => {});
  const dir = mkdtempSync(join(tmpdir(), 'flex-qm-try-'));
  const cleanups: Array<() => Promise<unknown>> = [async () => rmSync(dir, { recursive: true, force: true })];
  const undo = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  };
  try {
    // What reaches the fakes, for the page's Requests tab.
    const journal = new Journal();
    const fakes = await startSandboxFakes(journal);
    cleanups.push(() => fakes.close());
    const databaseUrl = `file:${join(dir, 'try.db')}`;
    say(`Fakes of Slack, Flex and TaskRouter up; seeding a throwaway database in ${dir}`);
    await applyMigrations({ databaseUrl });
    const prisma = await openDatabase(databaseUrl);
    await seedDatabase(prisma, SANDBOX_WORLD);
    await syncQuestionnaires(prisma, fakes);
    await prisma.$disconnect();
    const appPort = await freePort();
    say('Starting the app (a few seconds)…');
    const app = await startAppChild({
      env: sandboxAppEnv(fakes, { databaseUrl, appPort }),
      port: appPort,
      cwd: dir,
      root: ROOT,
    });
    cleanups.push(() => app.stop());
    const features = readManifestFeatures(join(ROOT, 'manifest.yml'));
    const played = new PlayedSlack({
      fakes,
      sender: new SlackSender({ url: `${app.baseUrl}/slack/events`, signingSecret: SANDBOX_WORLD.signingSecret }),
      world: SANDBOX_WORLD,
      features,
    });
    const server = await startTryServer({
      port: options.port,
      world: SANDBOX_WORLD,
      features,
      fakes,
      played,
      journal,
      log: app.log,
    });
    cleanups.push(() => server.close());
    let closing: Promise<number | null> | undefined;
    return {
      url: server.url,
      fakes,
      app,
      dir,
      close() {
        closing ??= (async () => {
          await server.close();
          const code = await app.stop();
          await fakes.close();
          rmSync(dir, { recursive: true, force: true });
          return code;
        })();
        return closing;
      },
    };
  } catch (error) {
    await undo();
    throw error;
  }
}

/** What an admin's `npm run questionnaires -- sync` does, so `/qm score` has Flex's questionnaires to offer. */
async function syncQuestionnaires(prisma: PrismaClient, fakes: Fakes): Promise<void> {
  const flex = createFlexClient({
    baseUrl: fakes.flex.baseUrl,
    credentials: { username: fakes.flex.accountSid, password: fakes.flex.authToken },
    timeoutMs: 10_000,
  });
  try {
    const [listed, answerSets] = await Promise.all([
      flex.listQuestionnaires({ includeInactive: true }),
      flex.fetchAnswerSets(),
    ]);
    await new QuestionnaireRepository(prisma).syncFromFlex(listed, answerSets, null);
  } finally {
    await flex.close();
  }
}
