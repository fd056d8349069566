import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Installation } from '@slack/bolt';
import { openDatabase } from '../../src/db/prisma-client.js';
import {
  InstallationNotFoundError,
  InstallationRepository,
} from '../../src/db/repositories/installation-repository.js';
import type { PrismaClient } from '../../src/generated/prisma/client.js';
import { createSecretBox } from '../../src/security/secret-box.js';
import { testSecretsKey } from '../helpers/secrets-keys.js';
import { createTestDatabase } from '../helpers/test-app.js';

const box = createSecretBox(testSecretsKey(3));
const expiresAt = Math.floor(Date.now() / 1000) + 43_200;

const teamInstall: Installation<'v2', false> = {
  team: { id: 'T0TEAM0001', name: 'Team One' },
  enterprise: { id: 'E0GRID0001', name: 'Grid' },
  isEnterpriseInstall: false,
  authVersion: 'v2',
  appId: 'A0FLEXQM01',
  tokenType: 'bot',
  user: {
    id: 'U0INSTALL1',
    token: 'xoxp-user-secret',
    scopes: ['identify'],
    refreshToken: 'xoxe-1-user-refresh',
    expiresAt,
  },
  bot: {
    id: 'B0BOT00001',
    userId: 'U0BOT00001',
    token: 'xoxe.xoxb-1-bot-secret',
    refreshToken: 'xoxe-1-bot-refresh',
    expiresAt,
    scopes: ['chat:write', 'commands'],
  },
};

const orgInstall: Installation<'v2', true> = {
  team: undefined,
  enterprise: { id: 'E0GRID0002', name: 'Other Grid' },
  isEnterpriseInstall: true,
  enterpriseUrl: 'https://other-grid.enterprise.slack.com/',
  authVersion: 'v2',
  appId: 'A0FLEXQM01',
  tokenType: 'bot',
  user: { id: 'U0ORGADM01', token: undefined, scopes: undefined },
  bot: { id: 'B0BOT00002', userId: 'U0BOT00002', token: 'xoxb-org-bot-secret', scopes: ['chat:write'] },
};

describe('the installation store', () => {
  let prisma: PrismaClient;
  let dispose: () => Promise<void>;
  let store: InstallationRepository;
  before(async () => {
    const database = await createTestDatabase();
    dispose = database.dispose;
    prisma = await openDatabase(database.databaseUrl);
    store = new InstallationRepository(prisma, box);
  });
  after(async () => {
    await prisma.$disconnect();
    await dispose();
  });

  it('gives back what it stored, with every token sealed at rest', async () => {
    await store.storeInstallation(teamInstall);
    const back = await store.fetchInstallation({
      teamId: 'T0TEAM0001',
      enterpriseId: 'E0GRID0001',
      isEnterpriseInstall: false,
    });
    assert.deepEqual(back, teamInstall);
    const raw = JSON.stringify(await prisma.installation.findMany());
    for (const secret of ['bot-secret', 'bot-refresh', 'user-secret', 'user-refresh'])
      assert.ok(!raw.includes(secret), secret);
  });

  it('stores again as an update (a token rotation), not a second row', async () => {
    const rotated = {
      ...teamInstall,
      bot: { ...teamInstall.bot, token: 'xoxe.xoxb-1-new', refreshToken: 'xoxe-1-new' },
    };
    await store.storeInstallation(rotated as Installation<'v2', false>);
    assert.equal(await prisma.installation.count(), 1);
    const back = await store.fetchInstallation({
      teamId: 'T0TEAM0001',
      enterpriseId: undefined,
      isEnterpriseInstall: false,
    });
    assert.equal(back.bot?.token, 'xoxe.xoxb-1-new');
    assert.equal(back.bot?.refreshToken, 'xoxe-1-new');
  });

  it('keys an org-wide install by the org, and serves every workspace of that org from it', async () => {
    await store.storeInstallation(orgInstall);
    const row = await prisma.installation.findUniqueOrThrow({ where: { id: 'E0GRID0002' } });
    assert.equal(row.isEnterpriseInstall, true);
    const forOrg = await store.fetchInstallation({
      teamId: undefined,
      enterpriseId: 'E0GRID0002',
      isEnterpriseInstall: true,
    });
    assert.equal(forOrg.bot?.token, 'xoxb-org-bot-secret');
    const forTeamInOrg = await store.fetchInstallation({
      teamId: 'T0INORG001',
      enterpriseId: 'E0GRID0002',
      isEnterpriseInstall: false,
    });
    assert.equal(forTeamInOrg.enterprise?.id, 'E0GRID0002');
    assert.deepEqual(await store.queryFor('E0GRID0002'), {
      isEnterpriseInstall: true,
      enterpriseId: 'E0GRID0002',
      teamId: undefined,
    });
  });

  it('throws, naming the workspace and what to do, when nothing is installed', async () => {
    await assert.rejects(
      store.fetchInstallation({ teamId: 'T0NOBODY01', enterpriseId: undefined, isEnterpriseInstall: false }),
      (error: unknown) =>
        error instanceof InstallationNotFoundError && /T0NOBODY01.*\/slack\/install/.test(error.message),
    );
  });

  it('forgets revoked user tokens but keeps the install; a revoked bot token or an uninstall removes it', async () => {
    assert.deepEqual(await store.revokeTokens(['T0TEAM0001'], { botUserIds: [], userIds: ['U0INSTALL1'] }), {
      installationsRemoved: 0,
      userTokensRemoved: 1,
    });
    const kept = await store.fetchInstallation({
      teamId: 'T0TEAM0001',
      enterpriseId: undefined,
      isEnterpriseInstall: false,
    });
    assert.equal(kept.user.token, undefined);
    assert.equal(kept.bot?.token, 'xoxe.xoxb-1-new');
    // Another workspace's bot user id changes nothing here.
    assert.equal(
      (await store.revokeTokens(['T0TEAM0001'], { botUserIds: ['U0BOT00002'], userIds: [] })).installationsRemoved,
      0,
    );
    assert.equal(
      (await store.revokeTokens(['T0TEAM0001'], { botUserIds: ['U0BOT00001'], userIds: [] })).installationsRemoved,
      1,
    );
    assert.equal(await store.removeWorkspace(['E0GRID0002']), 1);
    assert.equal(await prisma.installation.count(), 0);
  });

  it('refuses to open tokens sealed under another SECRETS_KEY, saying so', async () => {
    await store.storeInstallation(teamInstall);
    const other = new InstallationRepository(prisma, createSecretBox(testSecretsKey(4)));
    await assert.rejects(
      other.fetchInstallation({ teamId: 'T0TEAM0001', enterpriseId: undefined, isEnterpriseInstall: false }),
      /SECRETS_KEY is not the key it was stored with/,
    );
  });
});
