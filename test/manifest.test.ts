import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { App } from '@slack/bolt';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { z } from 'zod';
import { KNOWN_IDS, registerListeners } from '../src/slack/listeners/index.js';
import type { ListenerServices } from '../src/slack/listeners/services.js';
import { BOT_SCOPES } from '../src/slack/scopes.js';

const manifestSchema = z.object({
  _metadata: z.object({ major_version: z.literal(1) }),
  display_information: z.object({
    name: z.string().max(35),
    description: z.string().max(140),
    long_description: z.string().min(175).max(4000),
  }),
  features: z.object({
    app_home: z
      .object({
        home_tab_enabled: z.boolean(),
        messages_tab_enabled: z.boolean(),
        messages_tab_read_only_enabled: z.boolean(),
      })
      .optional(),
    bot_user: z.object({ display_name: z.string().max(80) }),
    unfurl_domains: z
      .array(z.string().regex(/^[a-z0-9.-]+$/))
      .max(5)
      .default([]),
    slash_commands: z.array(
      z.object({ command: z.string().regex(/^\/.{1,31}$/), url: z.url(), description: z.string().max(2000) }),
    ),
    shortcuts: z
      .array(
        z.object({
          name: z.string().max(24),
          type: z.enum(['message', 'global']),
          callback_id: z.string().max(255),
          description: z.string().max(150),
        }),
      )
      .default([]),
  }),
  oauth_config: z.object({
    redirect_urls: z.array(z.url()).default([]),
    scopes: z.object({ bot: z.array(z.string()) }),
  }),
  settings: z.object({
    interactivity: z.object({ is_enabled: z.boolean(), request_url: z.url() }),
    event_subscriptions: z.object({ request_url: z.url(), bot_events: z.array(z.string()) }).optional(),
    socket_mode_enabled: z.boolean(),
    token_rotation_enabled: z.boolean().default(false),
  }),
});

const manifest = manifestSchema.parse(parse(readFileSync('manifest.yml', 'utf8')));

/** The scopes each Web API method the code calls needs (from Slack's method reference). */
const SCOPES_BY_METHOD: Record<string, string[]> = {
  // Called with the app-level token (its scope, connections:write, is not a bot scope), in Socket Mode only.
  'apps.connections.open': [],
  'views.open': [],
  'views.update': [],
  'views.push': [],
  'chat.postMessage': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  // The reviewer's email is read from users.info, which needs both.
  'users.info': ['users:read', 'users:read.email'],
  'chat.unfurl': ['links:write'],
  'chat.update': ['chat:write'],
  'views.publish': [],
  // Matching Flex workers to Slack users (the sync).
  'users.lookupByEmail': ['users:read.email'],
  // Members of REVIEWER_USERGROUP may comment.
  'usergroups.users.list': ['usergroups:read'],
  // A linked message's thread gets the confirmation only if the reviewer is in the channel (public or private).
  'conversations.members': ['channels:read', 'groups:read'],
  // The weekly digest's chart: Slack's file upload (docs.slack.dev/reference/methods/files.getUploadURLExternal
  // and …/files.completeUploadExternal, "Bot token: files:write").
  'files.getUploadURLExternal': ['files:write'],
  'files.completeUploadExternal': ['files:write'],
};

/** The scope each event the app subscribes to needs. */
const SCOPES_BY_EVENT: Record<string, string[]> = {
  link_shared: ['links:read'],
  app_home_opened: [],
  // Sent to every app, whatever its scopes: the cue to forget an installation or its tokens.
  app_uninstalled: [],
  tokens_revoked: [],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

function registrations() {
  const seen = {
    commands: [] as string[],
    views: [] as string[],
    shortcuts: [] as string[],
    actions: [] as string[],
    events: [] as string[],
  };
  const stub = {
    command: (name: string) => seen.commands.push(name),
    view: (id: string) => seen.views.push(id),
    shortcut: (id: string) => seen.shortcuts.push(id),
    action: (id: string) => seen.actions.push(id),
    event: (name: string) => seen.events.push(name),
    options: () => undefined,
    use: () => undefined,
  };
  registerListeners(stub as unknown as App, {} as ListenerServices);
  return seen;
}

/**
 * Slack's published JSON schema of app manifests (slackapi/manifest-schema, vendored with its source
 * and commit in test/contracts/slack/README.md); manifest.yml declares `_metadata.major_version: 1`.
 */
function slackManifestValidator() {
  const schema = JSON.parse(readFileSync('test/contracts/slack/manifest.schema.1.0.0.json', 'utf8'));
  const ajv = new Ajv({ allErrors: true, strict: false });
  (addFormatsModule as unknown as (ajv: Ajv) => Ajv)(ajv);
  return ajv.compile(schema);
}

describe('manifest.yml', () => {
  it('validates against Slack’s published manifest schema, which refuses what it does not know', () => {
    const validate = slackManifestValidator();
    const yaml = parse(readFileSync('manifest.yml', 'utf8'));
    assert.equal(validate(yaml), true, JSON.stringify(validate.errors, null, 2));
    const broken = structuredClone(yaml);
    broken.settings.interactivity.options_url = 'https://qm.example.com/slack/events';
    broken.features.shortcuts[0].name = 'x'.repeat(40);
    assert.equal(validate(broken), false);
    assert.deepEqual(validate.errors?.map((e) => e.instancePath).sort(), [
      '/features/shortcuts/0/name',
      '/settings/interactivity',
    ]);
  });

  it('lists every registered id as known, so no request for one is ignored as a stranger', () => {
    const seen = registrations();
    for (const kind of ['commands', 'views', 'shortcuts', 'actions', 'events'] as const) {
      assert.deepEqual([...KNOWN_IDS[kind]].sort(), seen[kind].sort(), kind);
    }
  });

  it('declares exactly the slash commands the app registers', () => {
    const declared = manifest.features.slash_commands.map((c) => c.command).sort();
    assert.deepEqual(declared, registrations().commands.sort());
  });

  it('declares exactly the shortcuts the app registers', () => {
    const declared = manifest.features.shortcuts.map((s) => s.callback_id).sort();
    assert.deepEqual(declared, registrations().shortcuts.sort());
  });

  it('asks for exactly the bot scopes the code uses', () => {
    const methods = new Set<string>();
    for (const file of sourceFiles('src')) {
      // Two- and three-part methods: client.chat.postMessage(, client.usergroups.users.list(.
      for (const match of readFileSync(file, 'utf8').matchAll(/\bclient\.(\w+)\.(\w+)(?:\.(\w+))?\(/g)) {
        methods.add([match[1], match[2], match[3]].filter(Boolean).join('.'));
      }
      // Methods called by name: client.apiCall('files.getUploadURLExternal', …).
      for (const match of readFileSync(file, 'utf8').matchAll(/\.apiCall\(\s*'([\w.]+)'/g)) {
        if (match[1]) methods.add(match[1]);
      }
    }
    const unknown = [...methods].filter((m) => !(m in SCOPES_BY_METHOD));
    assert.deepEqual(unknown, [], 'add the scopes of these methods to SCOPES_BY_METHOD');
    const needed = new Set<string>([
      ...[...methods].flatMap((m) => SCOPES_BY_METHOD[m] ?? []),
      ...registrations().events.flatMap((e) => SCOPES_BY_EVENT[e] ?? []),
    ]);
    if (registrations().commands.length > 0 || registrations().shortcuts.length > 0) needed.add('commands');
    assert.deepEqual([...manifest.oauth_config.scopes.bot].sort(), [...needed].sort());
  });

  it('subscribes to exactly the events the app listens to, and unfurls the domains the call links use', () => {
    assert.deepEqual(
      [...(manifest.settings.event_subscriptions?.bot_events ?? [])].sort(),
      registrations().events.sort(),
    );
    assert.ok(manifest.features.unfurl_domains.includes('analytics.ytica.com'));
  });

  it('has the Home tab the app publishes, and a read-only Messages tab for the DMs it sends', () => {
    assert.ok(registrations().events.includes('app_home_opened'));
    assert.deepEqual(manifest.features.app_home, {
      home_tab_enabled: true,
      messages_tab_enabled: true,
      messages_tab_read_only_enabled: true,
    });
  });

  it('asks for the same bot scopes in an OAuth install as the manifest declares', () => {
    assert.deepEqual([...BOT_SCOPES].sort(), [...manifest.oauth_config.scopes.bot].sort());
  });

  it('sends OAuth installs back to /slack/oauth_redirect on the app’s own host, and hears of uninstalls', () => {
    const host = new URL(manifest.settings.interactivity.request_url).host;
    assert.deepEqual(
      manifest.oauth_config.redirect_urls.map((url) => [
        new URL(url).protocol,
        new URL(url).host,
        new URL(url).pathname,
      ]),
      [['https:', host, '/slack/oauth_redirect']],
    );
    const events = manifest.settings.event_subscriptions?.bot_events ?? [];
    assert.ok(events.includes('app_uninstalled') && events.includes('tokens_revoked'));
    // Rotation cannot be turned off again and would expire a pasted SLACK_BOT_TOKEN: off by default.
    assert.equal(manifest.settings.token_rotation_enabled, false);
  });

  it('sends commands and interactivity to the app’s /slack/events endpoint over HTTPS', () => {
    const urls = [...manifest.features.slash_commands.map((c) => c.url), manifest.settings.interactivity.request_url];
    for (const url of urls) assert.match(url, /^https:\/\/[^/]+\/slack\/events$/);
    assert.equal(manifest.settings.socket_mode_enabled, false);
  });
});
